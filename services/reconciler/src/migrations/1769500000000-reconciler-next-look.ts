// reconciler_jobs.next_look_at: when a job's decision next depends on time (a stability gate,
// a retry back-off, a periodic savepoint, a batch ttl). A fast loop reconciles jobs that are
// due, so time-based decisions do not wait for the periodic resync.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReconcilerNextLook1769500000000 implements MigrationInterface {
  name = 'ReconcilerNextLook1769500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table reconciler_jobs add column next_look_at timestamptz`);
    await q.query(`create index reconciler_jobs_next_look_at on reconciler_jobs (next_look_at) where next_look_at is not null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table reconciler_jobs drop column if exists next_look_at`);
  }
}
