// The lifecycle state a job is in, derived from the reconciler's job state (never stored on
// its own, so it cannot drift), and the LifecycleChanged to announce when it changed.
import type { LifecycleState, PayloadOf } from '@fjc/contracts';
import { activeRun, expiredRunError, type Announced, type JobState } from './job-state';

export function lifecycleOf(state: JobState): LifecycleState {
  const spec = state.desired?.spec;
  const anyActive = [state.current, ...state.others].some((r) => activeRun(r) !== null);
  if (state.deleted) return state.pending || anyActive ? 'DELETING' : 'DELETED';
  if (!spec) return 'CREATED';
  // A job that lost its state (or whose last-state upgrade found none) waits for an operator.
  if (state.needsAttention) return 'NEEDS_ATTENTION';
  if (state.rollback && spec.state !== 'suspended') return 'ROLLING_BACK';
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
  if (running) {
    switch (running.state) {
      case 'RUNNING':
        // The last stable version runs because the desired one failed and was rolled back.
        return state.failedVersion && state.failedVersion.version === state.desired?.version && state.deployedVersion !== state.desired.version ? 'ROLLED_BACK' : 'RUNNING';
      case 'RESTARTING':
        return 'RESTARTING';
      case 'FAILING':
        return 'FAILING';
      case 'CANCELLING':
        return 'CANCELLING';
      default:
        return 'DEPLOYING';
    }
  }
  if (spec.state === 'suspended') return 'SUSPENDED';
  if (state.stuckVersion === state.desired?.version || current?.state === 'FAILED' || expiredRunError(state)) return 'FAILED';
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
  // A version given up keeps showing why, while the last stable one runs in its place.
  const lastError = state.lastError ?? state.failedVersion?.error ?? expiredRunError(state);
  // monitoring.alert_on_failure and alert_on_backpressure ask for an alert flag on the change.
  // A rollback, a version given up and a spent restart budget always raise it.
  const alert =
    ((to === 'FAILED' || to === 'NEEDS_ATTENTION') && spec.monitoring.alert_on_failure) ||
    (to === 'RUNNING' && spec.monitoring.alert_on_backpressure && state.backpressure === 'high') ||
    to === 'ROLLING_BACK' ||
    to === 'ROLLED_BACK' ||
    state.lastError?.code === 'FJC_RESTART_BUDGET_EXCEEDED' ||
    (state.lastError?.code.startsWith('FJC_STABILITY_') ?? false);
  const announced: Announced = {
    state: to,
    deployedVersion: state.deployedVersion,
    lastStableVersion: state.lastStableVersion,
    flinkJobId: state.current?.flinkJobId ?? null,
    flinkVersion: state.flinkVersion ?? null,
    lastErrorCode: lastError?.code ?? null,
    alert,
    candidate: state.candidate != null,
    failedVersion: state.failedVersion?.version ?? null,
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
      restarts: state.health && state.health.flinkJobId === state.current?.flinkJobId ? state.health.restarts : null,
      candidate: announced.candidate,
      failedVersion: announced.failedVersion,
      reason,
      lastError,
      alert,
    },
  };
}
