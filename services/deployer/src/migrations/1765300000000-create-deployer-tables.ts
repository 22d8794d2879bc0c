// The deployer's own tables. deployer_actions is its queue and memory of actions (one row per
// actionId: what was asked, attempts, progress, result); deployer_jars remembers which jar
// (by SHA-256) each cluster already has; deployer_jobs lists the Flink jobs it observes.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDeployerTables1765300000000 implements MigrationInterface {
  name = 'CreateDeployerTables1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table deployer_actions (
        seq                bigint      generated always as identity,
        action_id          uuid        primary key,
        job_id             text        not null,
        cluster            text        not null,
        kind               text        not null,
        flink_job_id       text        not null,
        request            jsonb       not null,
        cause              jsonb       not null,
        status             text        not null default 'requested'
                           check (status in ('requested', 'started', 'succeeded', 'failed')),
        attempt            integer     not null default 0,
        savepoint_location text,
        result             jsonb,
        requested_at       timestamptz not null,
        started_at         timestamptz,
        finished_at        timestamptz
      )`);
    // The work queue: the oldest open action of each job.
    await q.query(`create index deployer_actions_open_idx on deployer_actions (job_id, seq) where status in ('requested', 'started')`);

    await q.query(`
      create table deployer_jars (
        cluster     text        not null,
        sha256      text        not null,
        jar_id      text        not null,
        uploaded_at timestamptz not null default now(),
        primary key (cluster, sha256)
      )`);

    await q.query(`
      create table deployer_jobs (
        flink_job_id    text        primary key,
        job_id          text        not null,
        cluster         text        not null,
        last_state      text,
        savepoint       jsonb,
        terminal        boolean     not null default false,
        next_observe_at timestamptz not null,
        observed_at     timestamptz,
        created_at      timestamptz not null default now()
      )`);
    await q.query(`create index deployer_jobs_due_idx on deployer_jobs (next_observe_at) where not terminal`);

    await q.query(`grant select, insert, update, delete on deployer_actions, deployer_jars, deployer_jobs to fjc_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table if exists deployer_jobs, deployer_jars, deployer_actions`);
  }
}
