// reconciler_jobs.lifecycle_since: when the job entered its current lifecycle state. It gives
// the metrics their ages (how long a job has not been running, how long an upgrade has taken)
// without reading the event log at scrape time. Not part of the rebuilt truth: a rebuild sets it
// to the rebuild's time.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReconcilerLifecycleSince1770000000000 implements MigrationInterface {
  name = 'ReconcilerLifecycleSince1770000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table reconciler_jobs add column lifecycle_since timestamptz not null default now()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table reconciler_jobs drop column if exists lifecycle_since`);
  }
}
