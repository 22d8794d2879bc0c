// What became of an action, as a value: the carry-out steps return these, and one mapping turns
// them into the ActionSucceeded / ActionFailed events of the contract. Exceptions only cross
// this line for failures nobody can classify (a database outage, a bug).
import { BrokenCircuitError } from 'cockatiel';
import { FlinkProgramError, FlinkProtocolError, FlinkTlsError, FlinkUnavailableError } from '@fjc/flink-client';
import type { ActionErrorCode, ActionKind, PayloadOf } from '@fjc/contracts';

export interface SavepointRef {
  readonly triggerId: string;
  readonly location: string;
}

export interface ActionSuccess {
  readonly ok: true;
  /** The Flink job the action left running (Deploy, Upgrade) or acted on (Stop, Cancel, TriggerSavepoint). */
  readonly flinkJobId: string;
  readonly savepoint?: SavepointRef;
  /** Deploy, and Upgrade in last-state mode: the state the new job started from, as submitted. */
  readonly restoredFrom?: { readonly kind: 'savepoint' | 'checkpoint'; readonly path: string };
  /** Cancel, and Upgrade in last-state mode: the checkpoint Flink retained of the job it ended. */
  readonly retainedCheckpoint?: { readonly id: number; readonly path: string; readonly completedAt: string };
  /** Deploy, Upgrade: the SHA-256 of the jar bytes uploaded to Flink. */
  readonly artifactSha256?: string;
}

/** DisposeSavepoint: the savepoint is gone (disposed now, or already). */
export interface DisposalSuccess {
  readonly ok: true;
  readonly disposedPath: string;
  readonly flinkJobId?: undefined;
}

export interface ActionFailure {
  readonly ok: false;
  readonly code: ActionErrorCode;
  readonly message: string;
  readonly retryable: boolean;
  /** For operators only: goes to the deployer's log, never into the event (paths, digests, hosts). */
  readonly detail?: string;
}

/** CleanUp: how many jars it deleted; how many runs' records it pruned, once they are (with the result). */
export interface CleanUpSuccess {
  readonly ok: true;
  readonly jarsDeleted: number;
  readonly runsPruned?: number;
  readonly flinkJobId?: undefined;
}

export type ActionOutcome = ActionSuccess | DisposalSuccess | CleanUpSuccess | ActionFailure;

/** A step that either produced a value or ended the action with a failure. */
export type Step<T> = ({ readonly ok: true } & T) | ActionFailure;

export function failure(code: ActionErrorCode, message: string, retryable: boolean, detail?: string): ActionFailure {
  return detail === undefined ? { ok: false, code, message, retryable } : { ok: false, code, message, retryable, detail };
}

export function success(flinkJobId: string, savepoint?: SavepointRef): ActionSuccess {
  return savepoint === undefined ? { ok: true, flinkJobId } : { ok: true, flinkJobId, savepoint };
}

/** Thrown by a wait that ran past its deadline; becomes FJC_ACTION_TIMEOUT. */
export class WaitTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WaitTimeoutError';
  }
}

/**
 * Flink errors that survived the transient retries, as failures the reconciler can decide on.
 * Anything else is not Flink's answer and is rethrown.
 */
export function failureOfError(err: unknown): ActionFailure {
  if (err instanceof FlinkProgramError) return failure('FJC_FLINK_PROGRAM_INVALID', err.flinkMessage, false);
  if (err instanceof FlinkUnavailableError) return failure('FJC_FLINK_UNREACHABLE', err.message, true);
  // Not retryable: an untrusted certificate stays untrusted until an operator changes the CA.
  if (err instanceof FlinkTlsError) return failure('FJC_FLINK_TLS_UNTRUSTED', err.message, false);
  if (err instanceof BrokenCircuitError) return failure('FJC_FLINK_UNREACHABLE', 'the cluster is not called for now: its recent calls failed (circuit breaker open)', true);
  if (err instanceof FlinkProtocolError) return failure('FJC_FLINK_REJECTED', err.message, false);
  if (err instanceof WaitTimeoutError) return failure('FJC_ACTION_TIMEOUT', err.message, true);
  throw err;
}

export type ResultEvent =
  | { readonly type: 'ActionSucceeded'; readonly payload: PayloadOf<'ActionSucceeded'> }
  | { readonly type: 'ActionFailed'; readonly payload: PayloadOf<'ActionFailed'> };

export function resultEvent(actionId: string, kind: ActionKind, outcome: ActionOutcome): ResultEvent {
  if (outcome.ok && 'disposedPath' in outcome) {
    return { type: 'ActionSucceeded', payload: { actionId, kind: 'DisposeSavepoint', path: outcome.disposedPath } };
  }
  if (outcome.ok && 'jarsDeleted' in outcome) {
    return { type: 'ActionSucceeded', payload: { actionId, kind: 'CleanUp', jarsDeleted: outcome.jarsDeleted, runsPruned: outcome.runsPruned ?? 0 } };
  }
  if (outcome.ok) {
    if (kind === 'DisposeSavepoint') throw new Error('a DisposeSavepoint action succeeded without a disposed path');
    if (kind === 'CleanUp') throw new Error('a CleanUp action succeeded without counting what it deleted');
    return {
      type: 'ActionSucceeded',
      payload: {
        actionId,
        kind,
        flinkJobId: outcome.flinkJobId,
        ...(outcome.savepoint ? { savepoint: outcome.savepoint } : {}),
        ...(outcome.restoredFrom ? { restoredFrom: outcome.restoredFrom } : {}),
        ...(outcome.retainedCheckpoint ? { retainedCheckpoint: outcome.retainedCheckpoint } : {}),
        ...(outcome.artifactSha256 ? { artifact: { sha256: outcome.artifactSha256 } } : {}),
      },
    };
  }
  return {
    type: 'ActionFailed',
    payload: { actionId, kind, error: { code: outcome.code, message: outcome.message.slice(0, 2000) || outcome.code, retryable: outcome.retryable } },
  };
}
