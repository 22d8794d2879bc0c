// The spec-service's pipeline tables: the current version of each pipeline (with its next cron
// time), each run's state as the fold of its stream, and which spec version of a stage's job
// carries out which attempt. Projections only: the streams in the event log are the truth.
import type { Queryable } from '@fjc/event-log';
import { PipelineSpecSchema, type PipelineSpec } from '@fjc/contracts';
import type { PipelineRunState } from '../domain/pipeline-run';

export interface PipelineRow {
  readonly pipelineId: string;
  readonly namespace: string;
  readonly version: number;
  readonly spec: PipelineSpec;
  readonly nextFireAt: Date | null;
}

export interface RunRow {
  readonly runId: string;
  readonly pipelineId: string;
  readonly pipelineVersion: number;
  readonly trigger: 'schedule' | 'manual';
  readonly state: PipelineRunState;
  readonly streamVersion: number;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
}

const pipelineOf = (r: Record<string, unknown>): PipelineRow => ({
  pipelineId: r.pipeline_id as string,
  namespace: r.namespace as string,
  version: r.version as number,
  spec: PipelineSpecSchema.parse(r.spec),
  nextFireAt: (r.next_fire_at as Date | null) ?? null,
});

const runOf = (r: Record<string, unknown>): RunRow => ({
  runId: r.run_id as string,
  pipelineId: r.pipeline_id as string,
  pipelineVersion: r.pipeline_version as number,
  trigger: r.trigger as RunRow['trigger'],
  state: r.state as PipelineRunState,
  streamVersion: r.stream_version as number,
  startedAt: r.started_at as Date,
  endedAt: (r.ended_at as Date | null) ?? null,
});

export async function loadPipeline(q: Queryable, pipelineId: string, lock = false): Promise<PipelineRow | null> {
  const { rows } = await q.query(`select * from pipelines where pipeline_id = $1${lock ? ' for update' : ''}`, [pipelineId]);
  return rows[0] ? pipelineOf(rows[0] as Record<string, unknown>) : null;
}

export async function savePipeline(q: Queryable, p: PipelineRow, now: Date): Promise<void> {
  await q.query(
    `insert into pipelines (pipeline_id, namespace, version, spec, next_fire_at, updated_at) values ($1, $2, $3, $4, $5, $6)
     on conflict (pipeline_id) do update set namespace = $2, version = $3, spec = $4, next_fire_at = $5, updated_at = $6`,
    [p.pipelineId, p.namespace, p.version, JSON.stringify(p.spec), p.nextFireAt, now],
  );
}

/** Pipelines whose cron time has come, locked; rows another instance holds are skipped. */
export async function claimDuePipelines(q: Queryable, now: Date, limit: number): Promise<PipelineRow[]> {
  const { rows } = await q.query(`select * from pipelines where next_fire_at <= $1 order by next_fire_at limit $2 for update skip locked`, [now, limit]);
  return (rows as Record<string, unknown>[]).map(pipelineOf);
}

export async function setNextFire(q: Queryable, pipelineId: string, next: Date | null): Promise<void> {
  await q.query(`update pipelines set next_fire_at = $2 where pipeline_id = $1`, [pipelineId, next]);
}

export async function loadRun(q: Queryable, runId: string, lock = false): Promise<RunRow | null> {
  const { rows } = await q.query(`select * from pipeline_runs where run_id = $1${lock ? ' for update' : ''}`, [runId]);
  return rows[0] ? runOf(rows[0] as Record<string, unknown>) : null;
}

export async function listRuns(q: Queryable, pipelineId: string, limit: number): Promise<RunRow[]> {
  const { rows } = await q.query(`select * from pipeline_runs where pipeline_id = $1 order by started_at desc, run_id desc limit $2`, [pipelineId, limit]);
  return (rows as Record<string, unknown>[]).map(runOf);
}

export async function runningRuns(q: Queryable, pipelineId: string): Promise<string[]> {
  const { rows } = await q.query(`select run_id from pipeline_runs where pipeline_id = $1 and status = 'RUNNING'`, [pipelineId]);
  return (rows as Array<{ run_id: string }>).map((r) => r.run_id);
}

/** Runs with a retry due (or never advanced), locked; rows another instance holds are skipped. */
export async function claimRunsToCheck(q: Queryable, now: Date, limit: number): Promise<string[]> {
  const { rows } = await q.query(`select run_id from pipeline_runs where next_check_at <= $1 order by next_check_at limit $2 for update skip locked`, [now, limit]);
  return (rows as Array<{ run_id: string }>).map((r) => r.run_id);
}

export async function saveRun(q: Queryable, run: RunRow, nextCheckAt: Date | null): Promise<void> {
  await q.query(
    `insert into pipeline_runs (run_id, pipeline_id, pipeline_version, trigger, status, state, stream_version, next_check_at, started_at, ended_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     on conflict (run_id) do update set pipeline_version = $3, status = $5, state = $6, stream_version = $7, next_check_at = $8, ended_at = $10`,
    [run.runId, run.pipelineId, run.pipelineVersion, run.trigger, run.state.status, JSON.stringify(run.state), run.streamVersion, nextCheckAt, run.startedAt, run.endedAt],
  );
}

export async function recordStageJob(q: Queryable, jobId: string, specVersion: number, runId: string, stage: string, attempt: number): Promise<void> {
  await q.query(`insert into pipeline_stage_jobs (job_id, spec_version, run_id, stage, attempt) values ($1, $2, $3, $4, $5) on conflict do nothing`, [
    jobId,
    specVersion,
    runId,
    stage,
    attempt,
  ]);
}

/** The stage attempts these spec versions of a job carry, in the order of `versions`. */
export async function stageJobsOf(q: Queryable, jobId: string, versions: readonly number[]): Promise<Array<{ version: number; runId: string; stage: string; attempt: number }>> {
  const { rows } = await q.query(`select spec_version, run_id, stage, attempt from pipeline_stage_jobs where job_id = $1 and spec_version = any($2::int[])`, [jobId, versions]);
  const found = (rows as Array<{ spec_version: number; run_id: string; stage: string; attempt: number }>).map((r) => ({ version: r.spec_version, runId: r.run_id, stage: r.stage, attempt: r.attempt }));
  return versions.flatMap((v) => found.filter((f) => f.version === v));
}
