// The reconciler's per-job state: one jsonb document per job, updated in the same transaction
// as the events it appends to reconciler-<jobId>.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReconcilerJobs1764100000000 implements MigrationInterface {
  name = 'CreateReconcilerJobs1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table reconciler_jobs (
        job_id         text primary key,
        state          jsonb not null,
        stream_version integer not null default 0,
        lifecycle      text,
        updated_at     timestamptz not null default now()
      )`);
    await q.query(`grant select, insert, update on reconciler_jobs to fjc_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table reconciler_jobs`);
  }
}
