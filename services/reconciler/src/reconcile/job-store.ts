// Loading and saving a job's reconciler state. Loading locks the row, so inputs of one job
// arriving on different topics (and the resync) are applied one after another.
import type { Queryable } from '@fjc/event-log';
import { initialJobState, type JobState } from '../domain/job-state';
import type { Transition, TransitionInProgress } from '../metrics/transitions';

export interface LoadedJob {
  readonly state: JobState;
  readonly streamVersion: number;
  /** The transition under way (for its duration metric), kept beside the state. */
  readonly transition: TransitionInProgress | null;
}

type JobRow = { state: JobState; stream_version: number; transition: Transition | null; transition_since: Date | null };

export async function loadJobForUpdate(tx: Queryable, jobId: string): Promise<LoadedJob> {
  // Nearly every input is for a job that has its row: one round trip. A new job's row is made
  // (a racing transaction may make it first: do nothing) and then locked like any other.
  const lock = () => tx.query<JobRow>(`select state, stream_version, transition, transition_since from reconciler_jobs where job_id = $1 for update`, [jobId]);
  let res = await lock();
  if (res.rows.length === 0) {
    await tx.query(`insert into reconciler_jobs (job_id, state) values ($1, $2) on conflict do nothing`, [jobId, JSON.stringify(initialJobState(jobId))]);
    res = await lock();
  }
  const row = res.rows[0];
  // Fields added to JobState later get their initial values when an older document is read.
  const transition = row.transition && row.transition_since ? { transition: row.transition, since: row.transition_since.toISOString() } : null;
  return { state: { ...initialJobState(jobId), ...row.state }, streamVersion: row.stream_version, transition };
}

/** States in which a job meant to run counts as running (its not-running clock stops). */
const RUNNING_STATES = ['RUNNING', 'FINISHED', 'SCHEDULED'];

export async function saveJob(tx: Queryable, state: JobState, streamVersion: number, lifecycle: string, nextLookAt: string | null = null, transition?: TransitionInProgress | null): Promise<void> {
  await tx.query(
    `update reconciler_jobs set state = $2, stream_version = $3,
       not_running_since = case when $4::text = any($6::text[]) then null else coalesce(not_running_since, now()) end,
       lifecycle = $4::text, next_look_at = $5${transition === undefined ? '' : ', transition = $7, transition_since = $8'}, updated_at = now() where job_id = $1`,
    [state.jobId, JSON.stringify(state), streamVersion, lifecycle, nextLookAt, RUNNING_STATES, ...(transition === undefined ? [] : [transition?.transition ?? null, transition?.since ?? null])],
  );
}

/** Jobs whose next decision depends on a time that has come (next_look_at), soonest first. */
export async function jobsDue(q: Queryable, limit: number): Promise<string[]> {
  const res = await q.query<{ job_id: string }>(
    `select job_id from reconciler_jobs where next_look_at <= now() order by next_look_at limit $1`,
    [limit],
  );
  return res.rows.map((r) => r.job_id);
}

/** One job as a resync pass reads it, without its lock. */
export interface ResyncRow {
  readonly job_id: string;
  readonly state: JobState;
  readonly lifecycle: string | null;
  readonly next_look_at: Date | null;
}

/** The next page (by job id, after `afterJobId`) of the jobs a resync looks at, with their state. */
export async function resyncPage(q: Queryable, afterJobId: string, limit: number): Promise<ResyncRow[]> {
  const res = await q.query<ResyncRow>(
    `select job_id, state, lifecycle, next_look_at from reconciler_jobs
      where job_id > $1 and lifecycle is distinct from 'DELETED' order by job_id limit $2`,
    [afterJobId, limit],
  );
  return res.rows;
}
