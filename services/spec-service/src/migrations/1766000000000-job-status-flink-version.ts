// job_status.flink_version: the Flink version of the cluster a job last ran on, as the deployer
// detected it from the cluster's REST API and the reconciler announced it in LifecycleChanged.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JobStatusFlinkVersion1766000000000 implements MigrationInterface {
  name = 'JobStatusFlinkVersion1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table job_status add column flink_version text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table job_status drop column if exists flink_version`);
  }
}
