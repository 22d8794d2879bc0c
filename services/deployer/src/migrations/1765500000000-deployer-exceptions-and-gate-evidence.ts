// Issue 13: the observer remembers the restart count, completed checkpoints and whether the
// sources emitted as last reported (each change is news for the stability gates), and which of
// Flink's exceptions it already reported (deployer_job_exceptions), so a restart of the deployer
// never reports one twice. DisposeSavepoint acts on no Flink job: deployer_actions.flink_job_id
// may be null.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DeployerExceptionsAndGateEvidence1765500000000 implements MigrationInterface {
  name = 'DeployerExceptionsAndGateEvidence1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table deployer_jobs add column last_restarts integer, add column last_checkpoints_completed bigint, add column last_emitting boolean`);
    await q.query(`
      create table deployer_job_exceptions (
        flink_job_id  text        not null,
        exception_id  text        not null,
        reported_at   timestamptz not null,
        primary key (flink_job_id, exception_id)
      )`);
    await q.query(`alter table deployer_actions alter column flink_job_id drop not null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table if exists deployer_job_exceptions`);
    await q.query(`alter table deployer_jobs drop column if exists last_restarts, drop column if exists last_checkpoints_completed, drop column if exists last_emitting`);
  }
}
