// What batch_config.cleanup_on_completion and back-pressure observation need. deployer_actions
// remembers the jar (id and SHA-256) a submission used, recorded before runJar so a resumed
// attempt still knows it; deployer_jobs carries it over with whether the run's spec asks for the
// jar to be deleted when the run ends, when that was done, and the back-pressure level last reported.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DeployerJarCleanupAndBackpressure1765400000000 implements MigrationInterface {
  name = 'DeployerJarCleanupAndBackpressure1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table deployer_actions add column jar_id text, add column jar_sha256 text`);
    await q.query(`
      alter table deployer_jobs
        add column jar_id            text,
        add column jar_sha256        text,
        add column cleanup_jar       boolean     not null default false,
        add column jar_cleaned_at    timestamptz,
        add column last_backpressure text check (last_backpressure in ('ok', 'low', 'high'))`);
    // "Is this jar still used?": the live jobs of a cluster by jar.
    await q.query(`create index deployer_jobs_live_jar_idx on deployer_jobs (cluster, jar_sha256) where not terminal and jar_sha256 is not null`);
    // The ended runs whose jar is still to be deleted.
    await q.query(`
      create index deployer_jobs_jar_cleanup_idx on deployer_jobs (next_observe_at)
        where cleanup_jar and jar_cleaned_at is null and terminal and last_state in ('FINISHED', 'FAILED', 'CANCELED')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index if exists deployer_jobs_jar_cleanup_idx, deployer_jobs_live_jar_idx`);
    await q.query(`
      alter table deployer_jobs
        drop column if exists last_backpressure, drop column if exists jar_cleaned_at, drop column if exists cleanup_jar,
        drop column if exists jar_sha256, drop column if exists jar_id`);
    await q.query(`alter table deployer_actions drop column if exists jar_sha256, drop column if exists jar_id`);
  }
}
