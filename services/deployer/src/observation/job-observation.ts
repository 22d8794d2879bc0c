// What one look at a Flink job amounts to: the JobObserved payload, and whether it is news.
// Pure: the observer reports a job when its state differs from the one it last reported.
import type { FlinkJobState, PayloadOf } from '@fjc/contracts';
import { isTerminal, type FlinkJobView } from '../flink/flink-port';
import type { SavepointObservation } from './observed-jobs';

export type JobObservedPayload = PayloadOf<'JobObserved'>;

const MAX_FAILURE_CHARS = 4000;

export function observationOf(
  flinkJobId: string,
  job: FlinkJobView | null,
  rootException: string | null,
  savepoint?: SavepointObservation,
): JobObservedPayload {
  const withSavepoint = savepoint === undefined ? {} : { savepoint };
  if (job === null) return { flinkJobId, flinkState: 'NOT_FOUND', ...withSavepoint };
  const failed = job.state === 'FAILED' && rootException !== null && rootException.trim() !== '';
  return {
    flinkJobId,
    flinkState: job.state,
    ...(job.startTime > 0 ? { startTime: new Date(job.startTime).toISOString() } : {}),
    ...(job.endTime > 0 ? { endTime: new Date(job.endTime).toISOString() } : {}),
    ...(failed ? { failure: { message: rootException.trim().slice(0, MAX_FAILURE_CHARS) } } : {}),
    ...withSavepoint,
  };
}

/** News when the state differs from the last one reported (a first look always is). */
export function isNews(lastReported: FlinkJobState | null, now: FlinkJobState): boolean {
  return lastReported !== now;
}

/** A job in such a state is no longer polled: it will not change (or is gone). */
export function stopsObservation(state: FlinkJobState): boolean {
  return isTerminal(state);
}
