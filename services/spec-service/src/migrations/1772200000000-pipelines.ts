// Pipelines (issue 16): the current version of each pipeline with its next cron time, each run's
// state (a projection of its stream pipeline-run-<run id>, rebuilt by folding the log), and
// which spec version of a stage's job carries out which stage attempt of which run.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Pipelines1772200000000 implements MigrationInterface {
  name = 'Pipelines1772200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table pipelines (
        pipeline_id text primary key,
        namespace text not null,
        version int not null,
        spec jsonb not null,
        next_fire_at timestamptz,
        updated_at timestamptz not null
      )`);
    await q.query(`create index pipelines_next_fire_idx on pipelines (next_fire_at) where next_fire_at is not null`);
    await q.query(`
      create table pipeline_runs (
        run_id text primary key,
        pipeline_id text not null,
        pipeline_version int not null,
        trigger text not null,
        status text not null,
        state jsonb not null,
        stream_version int not null,
        next_check_at timestamptz,
        started_at timestamptz not null,
        ended_at timestamptz
      )`);
    await q.query(`create index pipeline_runs_pipeline_idx on pipeline_runs (pipeline_id, started_at desc)`);
    await q.query(`create index pipeline_runs_check_idx on pipeline_runs (next_check_at) where next_check_at is not null`);
    await q.query(`
      create table pipeline_stage_jobs (
        job_id text not null,
        spec_version int not null,
        run_id text not null,
        stage text not null,
        attempt int not null,
        primary key (job_id, spec_version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table if exists pipeline_stage_jobs, pipeline_runs, pipelines`);
  }
}
