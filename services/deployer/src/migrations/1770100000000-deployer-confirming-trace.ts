// deployer_jobs.confirm_traceparent: the trace of the action that started (or acted on) the job.
// The first observation reported after it joins that trace (the observation that confirms the
// action's result), then the column is cleared: later observations start no trace of their own.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DeployerConfirmingTrace1770100000000 implements MigrationInterface {
  name = 'DeployerConfirmingTrace1770100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table deployer_jobs add column confirm_traceparent text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table deployer_jobs drop column if exists confirm_traceparent`);
  }
}
