// What one look at a Flink job amounts to: the JobObserved payload, and whether it is news.
// Pure: the observer reports a job when its state differs from the one it last reported, when
// the back pressure of a running job moved to another level, when it restarted or completed a
// checkpoint since, or when its sources started or stopped emitting.
import type { FlinkJobState, PayloadOf } from '@fjc/contracts';
import { isTerminal, type BackpressureLevel } from '../flink/flink-port';
import type { JobLook } from './look-at-job';
import type { SavepointObservation } from './observed-jobs';
import { redactValues } from '../secrets/secret-resolver';

export type JobObservedPayload = PayloadOf<'JobObserved'>;

const MAX_FAILURE_CHARS = 4000;

/** What the observer last reported of a job. */
export interface LastReported {
  readonly state: FlinkJobState | null;
  readonly backpressure: BackpressureLevel | null;
  /** The id of the last checkpoint reported; null or absent when none was. */
  readonly checkpointId?: number | null;
  readonly restarts?: number | null;
  readonly checkpointsCompleted?: number | null;
  /** Whether the sources emitted (recordsOutPerSecond > 0) when last reported; null when not known. */
  readonly emitting?: boolean | null;
}

export function observationOf(
  flinkJobId: string,
  look: Pick<JobLook, 'view' | 'rootException' | 'backpressure'> &
    Partial<Pick<JobLook, 'flinkVersion' | 'checkpoint' | 'restarts' | 'checkpointCounts' | 'recordsOutPerSecond'>>,
  savepoint?: SavepointObservation,
  readAt: Date = new Date(),
  /** The job's resolved secret values: replaced by [REDACTED] in the failure text. */
  secrets: readonly string[] = [],
): JobObservedPayload {
  const { view: job, rootException, backpressure, flinkVersion, checkpoint, restarts, checkpointCounts, recordsOutPerSecond } = look;
  const withSavepoint = savepoint === undefined ? {} : { savepoint };
  if (job === null) return { flinkJobId, flinkState: 'NOT_FOUND', ...withSavepoint };
  const failed = (job.state === 'FAILED' || job.state === 'FAILING') && rootException !== null && rootException !== undefined && rootException.trim() !== '';
  return {
    flinkJobId,
    flinkState: job.state,
    ...(job.startTime > 0 ? { startTime: new Date(job.startTime).toISOString() } : {}),
    ...(job.endTime > 0 ? { endTime: new Date(job.endTime).toISOString() } : {}),
    ...(failed ? { failure: { message: redactValues(rootException.trim(), secrets).slice(0, MAX_FAILURE_CHARS) } } : {}),
    ...withSavepoint,
    ...(job.state === 'RUNNING' && backpressure !== null ? { backpressure } : {}),
    ...(flinkVersion ? { flinkVersion } : {}),
    ...(checkpoint?.externalPath !== undefined
      ? { lastCheckpoint: { id: checkpoint.id, path: checkpoint.externalPath, completedAt: new Date(checkpoint.completedAt ?? readAt.getTime()).toISOString() } }
      : {}),
    ...(restarts !== null && restarts !== undefined ? { restarts } : {}),
    ...(checkpointCounts ? { checkpoints: { completed: checkpointCounts.completed, failed: checkpointCounts.failed, inProgress: checkpointCounts.inProgress } } : {}),
    ...(job.state === 'RUNNING' && recordsOutPerSecond !== null && recordsOutPerSecond !== undefined ? { recordsOutPerSecond } : {}),
  };
}

/**
 * News when the state differs from the last one reported (a first look always is), when a
 * retained checkpoint completed since, or when a back-pressure level was read and differs from
 * the last one reported.
 */
export function isNews(
  last: LastReported,
  now: Pick<JobObservedPayload, 'flinkState' | 'backpressure' | 'lastCheckpoint' | 'restarts' | 'checkpoints' | 'recordsOutPerSecond'>,
): boolean {
  if (last.state !== now.flinkState) return true;
  // A checkpoint completed since the last report: recorded, so the log knows the newest state.
  if (now.lastCheckpoint !== undefined && now.lastCheckpoint.id !== (last.checkpointId ?? null)) return true;
  // Evidence for stability gates: restarts, completed checkpoints, sources emitting or not.
  if (now.restarts !== undefined && now.restarts !== (last.restarts ?? null)) return true;
  if (now.checkpoints !== undefined && now.checkpoints.completed !== (last.checkpointsCompleted ?? null)) return true;
  if (now.recordsOutPerSecond !== undefined && (now.recordsOutPerSecond > 0) !== (last.emitting ?? null)) return true;
  return now.backpressure !== undefined && now.backpressure !== last.backpressure;
}

/** The level to remember as reported: none once the job stops running; the last one while a read failed. */
export function backpressureToRemember(last: LastReported, now: Pick<JobObservedPayload, 'flinkState' | 'backpressure'>): BackpressureLevel | null {
  if (now.flinkState !== 'RUNNING') return null;
  return now.backpressure ?? last.backpressure;
}

/** A job in such a state is no longer polled: it will not change (or is gone). */
export function stopsObservation(state: FlinkJobState): boolean {
  return isTerminal(state);
}
