// The spec-service's own tables, beside the event log (which stays the truth):
// - job_specs: the current spec of every job, written in the same transaction as the spec event
//   that made it, so listing jobs needs no replay of every stream;
// - job_status: the lifecycle read model fed by fjc.job.lifecycle;
// - command_results: the outbox of upstream command results. A row is written in the command's
//   transaction and published afterwards, so a crash between the two loses no result.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SpecServiceTables1765100000101 implements MigrationInterface {
  name = 'SpecServiceTables1765100000101';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table job_specs (
        job_id     text        primary key,
        version    integer     not null check (version >= 1),
        spec_hash  text        not null,
        spec       jsonb       not null,
        deleted    boolean     not null default false,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`);
    await q.query(`
      create table job_status (
        job_id              text        primary key,
        lifecycle_version   integer     not null,
        state               text        not null,
        desired_version     integer,
        deployed_version    integer,
        last_stable_version integer,
        flink_job_id        text,
        last_error          jsonb,
        reason              text,
        alert               boolean     not null default false,
        changed_at          timestamptz not null,
        updated_at          timestamptz not null default now()
      )`);
    await q.query(`
      create table command_results (
        command_id   uuid        primary key,
        job_id       text        not null,
        result       jsonb       not null,
        created_at   timestamptz not null default clock_timestamp(),
        published_at timestamptz
      )`);
    await q.query(`create index command_results_unpublished_idx on command_results (created_at) where published_at is null`);
    await q.query(`grant select, insert, update on job_specs, job_status, command_results to fjc_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table if exists command_results, job_status, job_specs`);
  }
}
