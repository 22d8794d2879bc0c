// The lifecycle state a job is in, derived from the reconciler's job state (never stored on
// its own, so it cannot drift), and the LifecycleChanged to announce when it changed.
import type { LifecycleState, PayloadOf } from '@fjc/contracts';
import { activeRun, type Announced, type JobState } from './job-state';

export function lifecycleOf(state: JobState): LifecycleState {
  const spec = state.desired?.spec;
  const anyActive = [state.current, ...state.others].some((r) => activeRun(r) !== null);
  if (state.deleted) return state.pending || anyActive ? 'DELETING' : 'DELETED';
  if (!spec) return 'CREATED';
  // A job that lost its state (or whose last-state upgrade found none) waits for an operator.
  if (state.needsAttention) return 'NEEDS_ATTENTION';
  if (state.pending) {
    switch (state.pending.kind) {
      case 'Deploy':
        return 'DEPLOYING';
      case 'Upgrade':
        return 'UPGRADING';
      case 'Stop':
        return 'SUSPENDING';
      case 'Cancel':
        return spec.state === 'suspended' ? 'SUSPENDING' : 'RUNNING';
    }
  }
  const current = state.current;
  const running = activeRun(current);
  if (running) return running.state === 'RUNNING' || running.state === 'RESTARTING' || running.state === 'FAILING' ? 'RUNNING' : 'DEPLOYING';
  if (spec.state === 'suspended') return 'SUSPENDED';
  if (state.stuckVersion === state.desired?.version || current?.state === 'FAILED') return 'FAILED';
  if (state.lastError && state.retryAfter) return 'FAILED';
  if (spec.job_type === 'batch') {
    const config = spec.batch_config;
    if (config.cron) {
      const exhausted = config.max_runs !== undefined && state.runsStarted >= config.max_runs;
      return exhausted && current?.state === 'FINISHED' ? 'FINISHED' : 'SCHEDULED';
    }
    if (current?.state === 'FINISHED') return 'FINISHED';
  }
  if (current?.state === 'FINISHED') return 'FINISHED';
  return 'CREATED';
}

export type LifecycleChange = PayloadOf<'LifecycleChanged'>;

/** The LifecycleChanged payload when what the job shows differs from what was announced. */
export function lifecycleChange(state: JobState, reason: string): { change: LifecycleChange; announced: Announced } | null {
  const desired = state.desired;
  if (!desired) return null;
  const to = lifecycleOf(state);
  const spec = desired.spec;
  // monitoring.alert_on_failure and alert_on_backpressure ask for an alert flag on the change.
  const alert = ((to === 'FAILED' || to === 'NEEDS_ATTENTION') && spec.monitoring.alert_on_failure) || (to === 'RUNNING' && spec.monitoring.alert_on_backpressure && state.backpressure === 'high');
  const announced: Announced = {
    state: to,
    deployedVersion: state.deployedVersion,
    lastStableVersion: state.lastStableVersion,
    flinkJobId: state.current?.flinkJobId ?? null,
    flinkVersion: state.flinkVersion ?? null,
    lastErrorCode: state.lastError?.code ?? null,
    alert,
  };
  const before = state.announced;
  // Compared field by field: the state round-trips through jsonb, which reorders keys.
  // A field missing from a state stored before it existed counts as null.
  if (before && (Object.keys(announced) as Array<keyof Announced>).every((k) => (before[k] ?? null) === announced[k])) return null;
  return {
    announced,
    change: {
      from: before?.state ?? null,
      to,
      desiredVersion: desired.version,
      deployedVersion: state.deployedVersion,
      lastStableVersion: state.lastStableVersion,
      flinkJobId: announced.flinkJobId,
      flinkVersion: announced.flinkVersion,
      reason,
      lastError: state.lastError,
      alert,
    },
  };
}
