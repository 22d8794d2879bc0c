// deployer_jobs: the Flink jobs the deployer observes (every job it submitted or was asked to
// act on), the state it last reported for each, and when each is next due.
import { z } from 'zod';
import { FlinkJobStateSchema, SavepointObservationSchema, type FlinkJobState } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';

export type SavepointObservation = z.infer<typeof SavepointObservationSchema>;

export interface ObservedJob {
  readonly flinkJobId: string;
  readonly jobId: string;
  readonly cluster: string;
  readonly lastState: FlinkJobState | null;
  readonly savepoint?: SavepointObservation;
  readonly observedAt: Date | null;
}

interface JobRow {
  flink_job_id: string;
  job_id: string;
  cluster: string;
  last_state: string | null;
  savepoint: unknown;
  observed_at: Date | null;
}

const COLUMNS = 'flink_job_id, job_id, cluster, last_state, savepoint, observed_at';

function toObserved(row: JobRow): ObservedJob {
  return {
    flinkJobId: row.flink_job_id,
    jobId: row.job_id,
    cluster: row.cluster,
    lastState: row.last_state === null ? null : FlinkJobStateSchema.parse(row.last_state),
    ...(row.savepoint === null ? {} : { savepoint: SavepointObservationSchema.parse(row.savepoint) }),
    observedAt: row.observed_at,
  };
}

/**
 * Starts observing a job. A job last seen NOT_FOUND is observed again: an action about it
 * means someone expects it to exist.
 */
export async function trackJob(q: Queryable, job: { flinkJobId: string; jobId: string; cluster: string }, now: Date): Promise<void> {
  await q.query(
    `insert into deployer_jobs (flink_job_id, job_id, cluster, next_observe_at) values ($1, $2, $3, $4)
     on conflict (flink_job_id) do update set terminal = false, next_observe_at = excluded.next_observe_at
       where deployer_jobs.last_state = 'NOT_FOUND'`,
    [job.flinkJobId, job.jobId, job.cluster, now],
  );
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
  observed: { state: FlinkJobState; terminal: boolean; savepoint?: SavepointObservation },
  now: Date,
): Promise<void> {
  await q.query(
    `update deployer_jobs set last_state = $2, terminal = $3, savepoint = coalesce($4::jsonb, savepoint), observed_at = $5
      where flink_job_id = $1`,
    [flinkJobId, observed.state, observed.terminal, observed.savepoint ? JSON.stringify(observed.savepoint) : null, now],
  );
}

export async function touchObservation(q: Queryable, flinkJobId: string, now: Date): Promise<void> {
  await q.query('update deployer_jobs set observed_at = $2 where flink_job_id = $1', [flinkJobId, now]);
}
