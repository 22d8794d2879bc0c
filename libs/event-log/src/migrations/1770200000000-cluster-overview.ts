// cluster_overview: each Flink cluster's overview as the deployer last read it (slots total and
// free, TaskManagers, Flink version), written by the deployer's role and read by the
// spec-service's (the plan's slot check; the spec-service never talks to Flink). A table two
// services' roles use is made here, by the migrations every migration step applies first, so
// each role's grant (deployer: write; spec-service: select) holds whatever order the steps run in.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ClusterOverview1770200000000 implements MigrationInterface {
  name = 'ClusterOverview1770200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table cluster_overview (
        cluster       text        primary key,
        slots_total   int,
        slots_free    int,
        taskmanagers  int,
        flink_version text,
        -- the last overview that answered (null: never); checked_at: the last attempt
        observed_at   timestamptz,
        checked_at    timestamptz not null,
        error         text
      )`);
    await q.query(`revoke all on cluster_overview from public`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table if exists cluster_overview`);
  }
}
