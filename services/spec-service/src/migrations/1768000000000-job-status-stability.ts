// job_status.restarts, candidate, failed_version: what the reconciler's LifecycleChanged says
// about a version's health (issue 13). Older events lack them: restarts and failed_version stay
// null, candidate false.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JobStatusStability1768000000000 implements MigrationInterface {
  name = 'JobStatusStability1768000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table job_status add column restarts integer, add column candidate boolean not null default false, add column failed_version integer`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table job_status drop column if exists restarts, drop column if exists candidate, drop column if exists failed_version`);
  }
}
