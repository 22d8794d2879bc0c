// Times for the reconciler's metrics, kept beside the job's state so a scrape needs no log read:
// - not_running_since: when a job last left a running state (RUNNING, FINISHED, SCHEDULED), null
//   while it is in one (how long a job meant to run has not been running);
// - transition, transition_since: the transition under way (apply_to_running, upgrade, rollback,
//   stop) and when it started (metrics/transitions.ts).
// Not part of the rebuilt truth: a rebuild leaves them as they are for jobs it keeps.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReconcilerMetricTimes1770000000000 implements MigrationInterface {
  name = 'ReconcilerMetricTimes1770000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table reconciler_jobs add column not_running_since timestamptz default now()`);
    await q.query(`alter table reconciler_jobs add column transition text`);
    await q.query(`alter table reconciler_jobs add column transition_since timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const c of ['not_running_since', 'transition', 'transition_since']) await q.query(`alter table reconciler_jobs drop column if exists ${c}`);
  }
}
