// Which lifecycle moves end a transition an operator times (apply to running, upgrade, stop,
// rollback), and whether it succeeded. Pure: the metric is observed by ReconcileJob. A savepoint
// is an action, timed by the deployer (fjc_deployer_action_duration_seconds).
import type { LifecycleState } from '@fjc/contracts';

export type Transition = 'apply_to_running' | 'upgrade' | 'stop' | 'rollback';
export const TRANSITIONS: readonly Transition[] = ['apply_to_running', 'upgrade', 'stop', 'rollback'];

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

/** The transition that `from -> to` finishes, or null when it finishes none (or is no move). */
export function finishedTransition(from: LifecycleState | null, to: LifecycleState): { transition: Transition; outcome: 'succeeded' | 'failed' } | null {
  if (from === null || from === to) return null;
  const transition = STARTS[from];
  if (!transition) return null;
  // Leaving for another transition's start (an upgrade that became a rollback) ends this one as failed
  // only when the new state is a failure; a plain hand-over (DEPLOYING -> UPGRADING) is not timed.
  if (SUCCEEDED_AT[transition].includes(to)) return { transition, outcome: 'succeeded' };
  if (to === 'FAILED' || to === 'NEEDS_ATTENTION' || to === 'ROLLING_BACK' || to === 'FAILING') return { transition, outcome: 'failed' };
  return null;
}

/** The transition a job is in while it is in `state` (its age is a gauge). */
export function transitionOf(state: LifecycleState): Transition | null {
  return STARTS[state] ?? null;
}
