// evolve(state, input) -> state: pure. Folds one input event into the job's state. Results
// and observations of actions or Flink jobs the reconciler no longer tracks change nothing.
import type { JobState, FlinkRun } from './job-state';
import type { ReconcilerInput } from './inputs';

const RETRY_BASE_MS = 2_000;
const RETRY_MAX_MS = 60_000;
/** Retryable failures in a row after which a version is given up (FAILED until a new version,
 *  a resume or a rollback): with the back-off above, about six minutes of trying. */
export const RETRY_LIMIT = 10;

export function evolve(previous: JobState, input: ReconcilerInput): JobState {
  let state = previous;
  const at = input.occurredAt;
  const cause = { eventId: input.id, correlationId: input.correlationId, actor: input.actor };
  switch (input.type) {
    case 'SpecUpdated':
    case 'JobSuspendRequested':
    case 'JobResumeRequested':
    case 'JobRolledBack': {
      if (state.desired && state.desired.version >= input.payload.version && !state.deleted) return state;
      const fresh = state.deleted; // a new apply after a delete starts over
      return {
        ...state,
        ...(fresh ? { deleted: false, lastSavepoint: null, lastSavepointTakenAt: null, lastCheckpoint: null, needsAttention: null, recovery: null, dueTicks: [], runsStarted: 0 } : {}),
        desired: { version: input.payload.version, spec: input.payload.spec, ...cause },
        lastError: null,
        retryAfter: null,
        failures: 0,
        stuckVersion: null,
        unconfirmedDeploy: null,
      };
    }
    case 'JobDeleteRequested':
      return { ...state, deleted: true, dueTicks: [], desired: state.desired ? { ...state.desired, ...cause } : null };
    case 'JobRecoveryRequested':
      // Only a job waiting for an operator takes a recovery decision; any other is already running.
      if (!state.needsAttention || state.deleted) return state;
      return { ...state, recovery: { from: input.payload.from, ...cause } };
    case 'SavepointRequested':
      return {
        ...state,
        savepointRequests: [...state.savepointRequests, { requestId: input.payload.requestId, targetDirectory: input.payload.targetDirectory ?? null, ...cause }],
      };
    case 'ScheduleTick':
      if (state.dueTicks.some((t) => t.scheduledTime === input.payload.scheduledTime)) return state;
      return {
        ...state,
        dueTicks: [...state.dueTicks, { scheduledTime: input.payload.scheduledTime, runNumber: input.payload.runNumber, eventId: input.id, correlationId: input.correlationId }],
      };
    case 'ActionSucceeded': {
      const p = input.payload;
      if (p.kind === 'TriggerSavepoint') return p.savepoint ? { ...state, lastSavepoint: p.savepoint.location, lastSavepointAt: at, lastSavepointTakenAt: at } : state;
      const pending = state.pending;
      if (!pending || pending.actionId !== p.actionId) return state;
      const cleared = { ...state, pending: null, lastError: null, failures: 0, retryAfter: null, unconfirmedDeploy: null };
      switch (p.kind) {
        case 'Deploy':
        case 'Upgrade': {
          const early = state.earlyObservation?.flinkJobId === p.flinkJobId ? state.earlyObservation.state : null;
          const run: FlinkRun = { flinkJobId: p.flinkJobId, specVersion: pending.specVersion, state: early ?? 'SUBMITTED', startedAt: at, runNumber: pending.runNumber };
          const healthy = early === 'FINISHED' || (early === 'RUNNING' && state.desired?.spec.job_type === 'stream');
          const request = pending.request as { action: { spec: JobState['deployedSpec'] } };
          return {
            ...cleared,
            current: run,
            backpressure: null,
            earlyObservation: null,
            lastStableVersion: healthy ? pending.specVersion : state.lastStableVersion,
            deployedVersion: pending.specVersion,
            deployedSpec: request.action.spec,
            lastSavepoint: p.savepoint?.location ?? state.lastSavepoint,
            lastSavepointAt: p.savepoint ? at : state.lastSavepointAt,
            ...(p.savepoint ? { lastSavepointTakenAt: at } : {}),
          };
        }
        case 'Stop':
          return { ...cleared, current: markRun(state.current, p.flinkJobId, 'FINISHED'), lastSavepoint: p.savepoint?.location ?? state.lastSavepoint, lastSavepointAt: p.savepoint ? at : state.lastSavepointAt, ...(p.savepoint ? { lastSavepointTakenAt: at } : {}) };
        case 'Cancel':
          return { ...cleared, current: markRun(state.current, p.flinkJobId, 'CANCELED'), others: state.others.map((r) => markRun(r, p.flinkJobId, 'CANCELED') as FlinkRun) };
      }
      return cleared;
    }
    case 'ActionFailed': {
      const pending = state.pending;
      if (!pending || pending.actionId !== input.payload.actionId) return state;
      const failures = state.failures + 1;
      const { code, message, retryable } = input.payload.error;
      // A last-state upgrade without a retained checkpoint is refused (the old job keeps
      // running); an operator decides, as for a job that lost its state.
      if (code === 'FJC_STATE_NOT_FOUND') {
        return { ...state, pending: null, failures, lastError: { code, message }, retryAfter: null, needsAttention: { reason: message } };
      }
      // A terminal error (FJC_FLINK_PROGRAM_INVALID, a bad signature...) fails the version at
      // once; a retryable one is tried again after a growing pause, RETRY_LIMIT times at most.
      const again = retryable && failures < RETRY_LIMIT;
      const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (failures - 1));
      return {
        ...state,
        pending: null,
        failures,
        lastError: { code, message: retryable && !again ? `gave up after ${failures} attempts: ${message}` : message },
        retryAfter: again ? new Date(Date.parse(at) + delay).toISOString() : null,
        stuckVersion: again ? null : pending.specVersion,
        unconfirmedDeploy: again && pending.kind === 'Deploy' ? { flinkJobId: pending.flinkJobId, specVersion: pending.specVersion, runNumber: pending.runNumber } : null,
      };
    }
    case 'JobObserved': {
      const p = input.payload;
      // The deployer reports a savepoint as soon as Flink has it, even if what follows fails.
      if (p.savepoint?.status === 'COMPLETED' && p.savepoint.location && p.savepoint.location !== state.lastSavepoint) {
        state = { ...state, lastSavepoint: p.savepoint.location, lastSavepointAt: at, lastSavepointTakenAt: at };
      }
      const failed = p.flinkState === 'FAILED';
      // A retained checkpoint of a run of ours: the newest state to start from should Flink lose it.
      const ours = state.current?.flinkJobId === p.flinkJobId || state.pending?.flinkJobId === p.flinkJobId;
      if (ours && p.lastCheckpoint?.path && (state.lastCheckpoint?.flinkJobId !== p.flinkJobId || p.lastCheckpoint.id > state.lastCheckpoint.id)) {
        state = { ...state, lastCheckpoint: { flinkJobId: p.flinkJobId, id: p.lastCheckpoint.id, path: p.lastCheckpoint.path, completedAt: p.lastCheckpoint.completedAt } };
      }
      if (state.current?.flinkJobId === p.flinkJobId) {
        const current = { ...state.current, state: p.flinkState };
        const healthy = (p.flinkState === 'RUNNING' && state.desired?.spec.job_type === 'stream') || p.flinkState === 'FINISHED';
        return {
          ...state,
          current,
          backpressure: p.backpressure ?? state.backpressure,
          flinkVersion: p.flinkVersion ?? state.flinkVersion ?? null,
          lastStableVersion: healthy ? current.specVersion : state.lastStableVersion,
          lastError: failed ? { code: 'FJC_FLINK_JOB_FAILED', message: p.failure?.message ?? 'the Flink job failed' } : state.lastError,
        };
      }
      if (state.pending?.flinkJobId === p.flinkJobId && (state.pending.kind === 'Deploy' || state.pending.kind === 'Upgrade')) {
        return { ...state, earlyObservation: { flinkJobId: p.flinkJobId, state: p.flinkState } };
      }
      if (state.others.some((r) => r.flinkJobId === p.flinkJobId)) {
        return { ...state, others: state.others.map((r) => (r.flinkJobId === p.flinkJobId ? { ...r, state: p.flinkState } : r)) };
      }
      return state;
    }
  }
}

function markRun(run: FlinkRun | null, flinkJobId: string, to: FlinkRun['state']): FlinkRun | null {
  return run && run.flinkJobId === flinkJobId ? { ...run, state: to } : run;
}
