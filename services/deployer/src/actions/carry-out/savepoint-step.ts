// The next step towards a savepoint with a known triggerId, decided from what Flink says now.
// Pure, so every situation an interrupted attempt can leave behind is a table row in a test:
// the savepoint recorded already, in progress, done, failed, never triggered, or its status
// forgotten by Flink while the job that took it is FINISHED.
import type { FlinkJobState } from '@fjc/contracts';
import type { SavepointStatus } from '../../flink/flink-port';
import { isTerminal } from '../../flink/flink-port';
import { failure, type ActionFailure } from '../action-outcome';

/** stop: stop-with-savepoint (the job ends FINISHED); trigger: a savepoint of a job that keeps running. */
export type SavepointMode = 'stop' | 'trigger';

export interface SavepointSnapshot {
  readonly mode: SavepointMode;
  readonly flinkJobId: string;
  /** Location an earlier attempt recorded for this action. */
  readonly recorded?: string;
  /** Flink's status of the operation under the action's triggerId. */
  readonly status: SavepointStatus;
  readonly jobState: FlinkJobState | 'NOT_FOUND';
  /** This attempt already asked Flink for the savepoint. */
  readonly triggered: boolean;
  /**
   * The job's latest savepoint from its checkpoint history: undefined while not looked up,
   * null when there is none.
   */
  readonly archived?: string | null;
}

export type SavepointStep =
  | { readonly kind: 'done'; readonly location: string }
  | { readonly kind: 'trigger' }
  | { readonly kind: 'wait' }
  | { readonly kind: 'look-up-archive' }
  | { readonly kind: 'failed'; readonly failure: ActionFailure; readonly reportFailed: boolean };

export function decideSavepointStep(s: SavepointSnapshot): SavepointStep {
  if (s.recorded !== undefined) return { kind: 'done', location: s.recorded };
  switch (s.status.status) {
    case 'COMPLETED':
      return { kind: 'done', location: s.status.location };
    case 'IN_PROGRESS':
      return { kind: 'wait' };
    case 'FAILED':
      // A job still running can be asked again (with a new triggerId); a job that is gone cannot.
      return {
        kind: 'failed',
        reportFailed: true,
        failure: failure('FJC_SAVEPOINT_FAILED', `savepoint of job ${s.flinkJobId} failed: ${s.status.message}`, !isTerminal(s.jobState)),
      };
    case 'UNKNOWN':
      return unknownStatus(s);
  }
}

function unknownStatus(s: SavepointSnapshot): SavepointStep {
  // Flink registers the operation when it accepts the trigger; until it shows up, keep asking.
  if (s.triggered) return { kind: 'wait' };
  if (!isTerminal(s.jobState)) return { kind: 'trigger' };
  // Flink forgets finished operations (rest.async.store-duration, or a restarted JobManager). A
  // stopped stream job ends FINISHED with the stop's savepoint as its latest one.
  if (s.mode === 'stop' && s.jobState === 'FINISHED') {
    if (s.archived === undefined) return { kind: 'look-up-archive' };
    if (s.archived !== null) return { kind: 'done', location: s.archived };
  }
  if (s.jobState === 'NOT_FOUND') {
    return {
      kind: 'failed',
      reportFailed: false,
      failure: failure('FJC_FLINK_JOB_NOT_FOUND', `job ${s.flinkJobId} is unknown to Flink; no savepoint can be taken`, false),
    };
  }
  return {
    kind: 'failed',
    reportFailed: false,
    failure: failure('FJC_SAVEPOINT_FAILED', `job ${s.flinkJobId} is ${s.jobState} and has no savepoint under this trigger; none can be taken`, false),
  };
}
