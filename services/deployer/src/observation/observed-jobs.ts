// deployer_jobs: the Flink jobs the deployer observes (every job it submitted or was asked to
// act on), the state and back pressure it last reported for each, when each is next due, and
// for a submitted job the jar it ran from and whether that jar goes when the run ends.
import { z } from 'zod';
import { FlinkJobStateSchema, JobObservedV1, SavepointObservationSchema, type FlinkJobState } from '@fjc/contracts';
import { activeTraceparent, type Queryable } from '@fjc/event-log';
import type { BackpressureLevel } from '../flink/flink-port';

export type SavepointObservation = z.infer<typeof SavepointObservationSchema>;

export interface ObservedJob {
  readonly flinkJobId: string;
  readonly jobId: string;
  readonly cluster: string;
  readonly lastState: FlinkJobState | null;
  readonly lastBackpressure: BackpressureLevel | null;
  readonly lastCheckpointId: number | null;
  readonly lastRestarts: number | null;
  readonly lastCheckpointsCompleted: number | null;
  readonly lastEmitting: boolean | null;
  readonly savepoint?: SavepointObservation;
  readonly observedAt: Date | null;
  /** The trace of the action whose result the next reported observation confirms. */
  readonly confirmTraceparent?: string;
}

interface JobRow {
  flink_job_id: string;
  job_id: string;
  cluster: string;
  last_state: string | null;
  last_backpressure: string | null;
  last_checkpoint_id: string | null;
  last_restarts: number | null;
  last_checkpoints_completed: string | null;
  last_emitting: boolean | null;
  savepoint: unknown;
  observed_at: Date | null;
  confirm_traceparent: string | null;
}

const COLUMNS = 'flink_job_id, job_id, cluster, last_state, last_backpressure, last_checkpoint_id, last_restarts, last_checkpoints_completed, last_emitting, savepoint, observed_at, confirm_traceparent';
const BackpressureSchema = JobObservedV1.shape.backpressure.unwrap();

function toObserved(row: JobRow): ObservedJob {
  return {
    flinkJobId: row.flink_job_id,
    jobId: row.job_id,
    cluster: row.cluster,
    lastState: row.last_state === null ? null : FlinkJobStateSchema.parse(row.last_state),
    lastBackpressure: row.last_backpressure === null ? null : BackpressureSchema.parse(row.last_backpressure),
    lastCheckpointId: row.last_checkpoint_id === null ? null : Number(row.last_checkpoint_id),
    lastRestarts: row.last_restarts,
    lastCheckpointsCompleted: row.last_checkpoints_completed === null ? null : Number(row.last_checkpoints_completed),
    lastEmitting: row.last_emitting,
    ...(row.savepoint === null ? {} : { savepoint: SavepointObservationSchema.parse(row.savepoint) }),
    observedAt: row.observed_at,
    ...(row.confirm_traceparent ? { confirmTraceparent: row.confirm_traceparent } : {}),
  };
}

/**
 * Starts observing a job. A job last seen NOT_FOUND is observed again: an action about it
 * means someone expects it to exist.
 */
export async function trackJob(q: Queryable, job: { flinkJobId: string; jobId: string; cluster: string }, now: Date): Promise<void> {
  // The action under way (its span is active): its next observation joins its trace.
  const traceparent = activeTraceparent() ?? null;
  await q.query(
    `insert into deployer_jobs (flink_job_id, job_id, cluster, next_observe_at, confirm_traceparent) values ($1, $2, $3, $4, $5)
     on conflict (flink_job_id) do update set confirm_traceparent = coalesce(excluded.confirm_traceparent, deployer_jobs.confirm_traceparent),
       terminal = case when deployer_jobs.last_state = 'NOT_FOUND' then false else deployer_jobs.terminal end,
       next_observe_at = case when deployer_jobs.last_state = 'NOT_FOUND' then excluded.next_observe_at else deployer_jobs.next_observe_at end`,
    [job.flinkJobId, job.jobId, job.cluster, now, traceparent],
  );
}

/** The confirming observation was reported: later ones start no trace of their own. */
export async function clearConfirmTrace(q: Queryable, flinkJobId: string): Promise<void> {
  await q.query(`update deployer_jobs set confirm_traceparent = null where flink_job_id = $1`, [flinkJobId]);
}

/**
 * Claims the jobs due for observation: moves each one's next turn an interval ahead, skipping
 * rows another instance is claiming right now, so one instance polls a job at a time.
 */
export async function claimDueJobs(q: Queryable, now: Date, intervalMs: number, limit: number): Promise<ObservedJob[]> {
  const res = await q.query<JobRow>(
    `update deployer_jobs set next_observe_at = $1::timestamptz + make_interval(secs => $2::double precision / 1000)
      where flink_job_id in (
        select flink_job_id from deployer_jobs where not terminal and next_observe_at <= $1
         order by next_observe_at limit $3 for update skip locked)
      returning ${COLUMNS}`,
    [now, intervalMs, limit],
  );
  return res.rows.map(toObserved);
}

/** The job's row, locked for this transaction; null when another transaction holds it or it is terminal. */
export async function lockObservedJob(q: Queryable, flinkJobId: string): Promise<ObservedJob | null> {
  const res = await q.query<JobRow>(
    `select ${COLUMNS} from deployer_jobs where flink_job_id = $1 and not terminal for update skip locked`,
    [flinkJobId],
  );
  return res.rows[0] ? toObserved(res.rows[0]) : null;
}

export async function recordObservation(
  q: Queryable,
  flinkJobId: string,
  observed: {
    state: FlinkJobState;
    terminal: boolean;
    savepoint?: SavepointObservation;
    backpressure?: BackpressureLevel | null;
    checkpointId?: number;
    restarts?: number;
    checkpointsCompleted?: number;
    emitting?: boolean;
  },
  now: Date,
): Promise<void> {
  // Back pressure left out (undefined) keeps the level last reported; so do a checkpoint, the
  // restart count, the completed checkpoints and whether the sources emitted.
  await q.query(
    `update deployer_jobs set last_state = $2, terminal = $3, savepoint = coalesce($4::jsonb, savepoint), observed_at = $5,
            last_backpressure = case when $6::boolean then $7 else last_backpressure end,
            last_checkpoint_id = coalesce($8::bigint, last_checkpoint_id),
            last_restarts = coalesce($9::integer, last_restarts),
            last_checkpoints_completed = coalesce($10::bigint, last_checkpoints_completed),
            last_emitting = coalesce($11::boolean, last_emitting)
      where flink_job_id = $1`,
    [
      flinkJobId, observed.state, observed.terminal, observed.savepoint ? JSON.stringify(observed.savepoint) : null, now, observed.backpressure !== undefined, observed.backpressure ?? null,
      observed.checkpointId ?? null, observed.restarts ?? null, observed.checkpointsCompleted ?? null, observed.emitting ?? null,
    ],
  );
}

/**
 * Notes an exception of a job as reported; false when it already was (then it is not reported
 * again). In the transaction that appends its JobExceptionObserved.
 */
export async function recordReportedException(q: Queryable, flinkJobId: string, exceptionId: string, now: Date): Promise<boolean> {
  const res = await q.query(
    `insert into deployer_job_exceptions (flink_job_id, exception_id, reported_at) values ($1, $2, $3) on conflict do nothing`,
    [flinkJobId, exceptionId, now],
  );
  return res.rowCount === 1;
}

/** Which of these exceptions of the job were reported already. */
export async function reportedExceptions(q: Queryable, flinkJobId: string, exceptionIds: readonly string[]): Promise<Set<string>> {
  if (exceptionIds.length === 0) return new Set();
  const res = await q.query<{ exception_id: string }>(
    `select exception_id from deployer_job_exceptions where flink_job_id = $1 and exception_id = any($2::text[])`,
    [flinkJobId, exceptionIds],
  );
  return new Set(res.rows.map((r) => r.exception_id));
}

/**
 * The spec that the job was submitted with (the Deploy or Upgrade action that named it as its
 * new job), to re-resolve its secret references for redaction; null when the deployer has none.
 */
export async function submittedSpecOf(q: Queryable, flinkJobId: string): Promise<unknown> {
  const res = await q.query<{ request: { action?: { spec?: unknown } } }>(
    `select request from deployer_actions where flink_job_id = $1 and kind in ('Deploy', 'Upgrade') order by seq desc limit 1`,
    [flinkJobId],
  );
  return res.rows[0]?.request.action?.spec ?? null;
}

/**
 * Notes on a submitted job the jar its action ran it from (recorded on the action before runJar),
 * and whether the run's spec wants that jar deleted when the run ends.
 */
export async function recordJobJar(q: Queryable, flinkJobId: string, actionId: string, cleanupOnEnd: boolean): Promise<void> {
  await q.query(
    `update deployer_jobs j set jar_id = a.jar_id, jar_sha256 = a.jar_sha256, cleanup_jar = $3
       from deployer_actions a
      where j.flink_job_id = $1 and a.action_id = $2 and a.jar_id is not null`,
    [flinkJobId, actionId, cleanupOnEnd],
  );
}

export async function touchObservation(q: Queryable, flinkJobId: string, now: Date): Promise<void> {
  await q.query('update deployer_jobs set observed_at = $2 where flink_job_id = $1', [flinkJobId, now]);
}

/**
 * CleanUp: forgets the ended runs of a job, their deployer_jobs rows, the finished actions that
 * named them (not `keepActionId`, the CleanUp's own) and the exceptions reported of them. The
 * live deployer calls it in the transaction that records the CleanUp's success, its rebuild at
 * that same event, so both keep the same rows. Returns how many runs had a row.
 */
export async function pruneRuns(q: Queryable, jobId: string, flinkJobIds: readonly string[], keepActionId: string): Promise<number> {
  const res = await q.query<{ runs: number }>(
    `with runs as (delete from deployer_jobs where job_id = $1 and flink_job_id = any($2::text[]) returning flink_job_id),
          actions as (delete from deployer_actions where job_id = $1 and flink_job_id = any($2::text[]) and action_id <> $3 and status in ('succeeded', 'failed') returning 1),
          exceptions as (delete from deployer_job_exceptions where flink_job_id in (select flink_job_id from runs) returning 1)
     select (select count(*) from runs)::int as runs, (select count(*) from actions)::int as actions, (select count(*) from exceptions)::int as exceptions`,
    [jobId, flinkJobIds, keepActionId],
  );
  return res.rows[0]?.runs ?? 0;
}
