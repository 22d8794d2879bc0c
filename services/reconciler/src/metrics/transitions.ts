// The transitions an operator times (apply to running, upgrade, rollback, stop): when one starts,
// when it ends and whether it succeeded. A job may pass through other states on the way
// (DEPLOYING -> RESTARTING -> RUNNING, a resubmission after a failure): the transition runs
// until a state that ends it. Pure: ReconcileJob keeps the one in progress in reconciler_jobs
// and observes the histogram. A savepoint is an action, timed by the deployer
// (fjc_deployer_action_duration_seconds).
import type { LifecycleState } from '@fjc/contracts';

export type Transition = 'apply_to_running' | 'upgrade' | 'stop' | 'rollback';

/** A transition under way, as stored (since: ISO time it started). */
export interface TransitionInProgress {
  readonly transition: Transition;
  readonly since: string;
}

const STARTS: Partial<Record<LifecycleState, Transition>> = {
  DEPLOYING: 'apply_to_running',
  UPGRADING: 'upgrade',
  ROLLING_BACK: 'rollback',
  SUSPENDING: 'stop',
  DELETING: 'stop',
};

const SUCCEEDED_AT: Record<Transition, readonly LifecycleState[]> = {
  apply_to_running: ['RUNNING', 'FINISHED', 'SCHEDULED'],
  upgrade: ['RUNNING', 'FINISHED', 'SCHEDULED'],
  rollback: ['RUNNING', 'ROLLED_BACK'],
  stop: ['SUSPENDED', 'DELETED'],
};

const FAILED_AT: readonly LifecycleState[] = ['FAILED', 'NEEDS_ATTENTION', 'ROLLING_BACK'];

export interface TransitionStep {
  /** What is under way after the move (null: nothing). */
  readonly next: TransitionInProgress | null;
  /** The transition the move ended, with its outcome and duration. */
  readonly finished: { readonly transition: Transition; readonly outcome: 'succeeded' | 'failed'; readonly seconds: number } | null;
}

/** The job moved to `to` at `now` with `current` under way. */
export function stepTransition(current: TransitionInProgress | null, to: LifecycleState, now: Date): TransitionStep {
  const starts = STARTS[to];
  if (current) {
    const seconds = Math.max(0, (now.getTime() - Date.parse(current.since)) / 1000);
    if (SUCCEEDED_AT[current.transition].includes(to)) return { next: null, finished: { transition: current.transition, outcome: 'succeeded', seconds } };
    if (FAILED_AT.includes(to) && starts !== current.transition) {
      return { next: starts ? { transition: starts, since: now.toISOString() } : null, finished: { transition: current.transition, outcome: 'failed', seconds } };
    }
    // Handed over to another transition (a deploy turned into a stop): the new one starts now.
    if (starts && starts !== current.transition) return { next: { transition: starts, since: now.toISOString() }, finished: null };
    return { next: current, finished: null };
  }
  return { next: starts ? { transition: starts, since: now.toISOString() } : null, finished: null };
}
