// The observer reports each retained checkpoint as it completes (JobObserved lastCheckpoint):
// deployer_jobs remembers the id of the last one it reported, so each is reported once.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DeployerLastCheckpoint1765417000000 implements MigrationInterface {
  name = 'DeployerLastCheckpoint1765417000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table deployer_jobs add column last_checkpoint_id bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table deployer_jobs drop column if exists last_checkpoint_id`);
  }
}
