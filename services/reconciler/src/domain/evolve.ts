// evolve(state, input) -> state: pure. Folds one input event into the job's state. Results
// and observations of actions or Flink jobs the reconciler no longer tracks change nothing.
import { CLEAN_UP_MAX_RUNS, specHash, type DeployerAction, type JobSpec } from '@fjc/contracts';
import { activeRun, TERMINAL_FLINK_STATES, type JobState, type FlinkRun, type RunHealth, type SavepointOrigin, type SavepointRecord, type VersionCheckpoint } from './job-state';
import type { ReconcilerInput } from './inputs';

/** Restarts remembered for the restart budget at most (its window prunes them too). */
const RESTART_TIMES_KEPT = 1000;
/** Retained checkpoints remembered per job: the newest of each recent version. */
const VERSION_CHECKPOINTS_KEPT = 20;

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
        ...(fresh
          ? { deleted: false, lastSavepoint: null, lastSavepointTakenAt: null, lastCheckpoint: null, needsAttention: null, recovery: null, dueTicks: [], runsStarted: 0,
              savepoints: [], unrecordedSavepoints: [], versionCheckpoints: [], candidate: null, stableSpec: null, lastStableVersion: null }
          : {}),
        desired: { version: input.payload.version, spec: input.payload.spec, ...cause },
        // A new version supersedes a rollback under way and the version given up before it.
        rollback: null,
        failedVersion: null,
        rollbackRequested:
          input.type === 'JobRolledBack'
            ? { fromVersion: input.payload.fromVersion, toVersion: input.payload.toVersion, ...(input.payload.savepointPath ? { savepointPath: input.payload.savepointPath } : {}) }
            : null,
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
      if (p.kind === 'TriggerSavepoint') {
        if (!p.savepoint) return state;
        const taken = { ...state, lastSavepoint: p.savepoint.location, lastSavepointAt: at, lastSavepointTakenAt: at };
        return learnSavepoint(taken, p.savepoint.location, p.flinkJobId, at, 'triggered');
      }
      if (p.kind === 'DisposeSavepoint') {
        return { ...state, savepoints: (state.savepoints ?? []).filter((s) => s.disposing !== p.actionId) };
      }
      if (p.kind === 'CleanUp') {
        // The runs it named are cleaned up: only runs started since are left for the next one.
        const cleanUp = state.cleanUp;
        if (!cleanUp || cleanUp.actionId !== p.actionId) return state;
        const done = new Set(cleanUp.flinkJobIds);
        return { ...state, cleanUp: null, cleanUpFailures: null, runsToCleanUp: (state.runsToCleanUp ?? []).filter((id) => !done.has(id)) };
      }
      const pending = state.pending;
      if (!pending || pending.actionId !== p.actionId) return state;
      const cleared = { ...state, pending: null, lastError: null, failures: 0, retryAfter: null, unconfirmedDeploy: null };
      switch (p.kind) {
        case 'Deploy':
        case 'Upgrade': {
          const early = state.earlyObservation?.flinkJobId === p.flinkJobId ? state.earlyObservation.state : null;
          const run: FlinkRun = { flinkJobId: p.flinkJobId, specVersion: pending.specVersion, state: early ?? 'SUBMITTED', startedAt: at, runNumber: pending.runNumber, ...(pending.scheduledAt ? { scheduledAt: pending.scheduledAt } : {}) };
          const action = pending.request.action;
          // A Deploy or Upgrade is what is pending here (the switch is on the result's kind).
          const spec: JobSpec | null = action.kind === 'Deploy' || action.kind === 'Upgrade' ? action.spec : state.deployedSpec;
          if (!spec) return cleared;
          const stream = spec.job_type === 'stream';
          // A batch run that already finished counts as stable; a stream version must pass its gates.
          const healthy = early === 'FINISHED' && !stream;
          // The savepoint an upgrade took belongs to the version that was running.
          const fromRun = state.current;
          const withSavepoint = p.savepoint && p.kind === 'Upgrade' && fromRun ? learnSavepoint(cleared, p.savepoint.location, fromRun.flinkJobId, at, 'upgrade') : cleared;
          // The checkpoint a last-state upgrade's cancel left belongs to the version that was running.
          const withRetained = p.kind === 'Upgrade' && fromRun ? learnRetainedCheckpoint(withSavepoint, fromRun.flinkJobId, p.retainedCheckpoint, p.flinkJobId) : withSavepoint;
          // A new deployment of a stream version not yet proven stable is a candidate; the
          // stable version started again (a rollback, a lost job) is not.
          const proven = state.lastStableVersion === pending.specVersion && state.stableSpec != null && specHash(state.stableSpec) === specHash(spec);
          const rollback = state.rollback && state.rollback.deployVersion === pending.specVersion ? { ...state.rollback, deployedFlinkJobId: p.flinkJobId } : (state.rollback ?? null);
          return {
            ...withRetained,
            rollback,
            candidate: stream && !proven ? { version: pending.specVersion, flinkJobId: p.flinkJobId, since: at } : null,
            health: { flinkJobId: p.flinkJobId, runningSince: early === 'RUNNING' ? at : null, restarts: null, checkpointsCompleted: null, recordsOutPerSecond: null },
            restartTimes: [],
            current: run,
            backpressure: null,
            earlyObservation: null,
            lastStableVersion: healthy ? pending.specVersion : state.lastStableVersion,
            deployedVersion: pending.specVersion,
            deployedSpec: spec,
            lastSavepoint: p.savepoint?.location ?? state.lastSavepoint,
            lastSavepointAt: p.savepoint ? at : state.lastSavepointAt,
            ...(p.savepoint ? { lastSavepointTakenAt: at } : {}),
            ...rememberRun(state, spec, p.flinkJobId),
          };
        }
        case 'Stop': {
          const savepoint = p.savepoint ? learnSavepoint(cleared, p.savepoint.location, p.flinkJobId, at, 'stop') : cleared;
          const recorded = learnRetainedCheckpoint(savepoint, p.flinkJobId, p.retainedCheckpoint);
          return { ...recorded, current: markRun(state.current, p.flinkJobId, 'FINISHED', at), lastSavepoint: p.savepoint?.location ?? state.lastSavepoint, lastSavepointAt: p.savepoint ? at : state.lastSavepointAt, ...(p.savepoint ? { lastSavepointTakenAt: at } : {}) };
        }
        case 'Cancel': {
          const retained = redeployFromRetained(learnRetainedCheckpoint(cleared, p.flinkJobId, p.retainedCheckpoint), pending.request.action, p.retainedCheckpoint);
          return { ...retained, current: markRun(state.current, p.flinkJobId, 'CANCELED', at), others: stillGoing(state.others.map((r) => markRun(r, p.flinkJobId, 'CANCELED', at) as FlinkRun)) };
        }
      }
      return cleared;
    }
    case 'ActionFailed': {
      const cleanUp = state.cleanUp;
      if (cleanUp && cleanUp.actionId === input.payload.actionId) {
        // A clean-up drops nothing when it fails: its runs wait for the next one, asked for after
        // a growing pause (Flink unreachable), RETRY_LIMIT times at most; the job's state is untouched.
        const count = (state.cleanUpFailures?.count ?? 0) + 1;
        const again = input.payload.error.retryable && count < RETRY_LIMIT;
        const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (count - 1));
        return { ...state, cleanUp: null, cleanUpFailures: { count, retryAt: again ? new Date(Date.parse(at) + delay).toISOString() : null } };
      }
      const disposing = (state.savepoints ?? []).find((s) => s.disposing === input.payload.actionId);
      if (disposing) {
        // Tried again at the next decision, three times at most (the savepoint stays recorded).
        return { ...state, savepoints: (state.savepoints ?? []).map((s) => (s === disposing ? { ...s, disposing: null, disposeFailures: (s.disposeFailures ?? 0) + 1 } : s)) };
      }
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
      if (p.savepoint?.status === 'COMPLETED' && p.savepoint.location) state = learnSavepoint(state, p.savepoint.location, p.flinkJobId, at, pendingOrigin(state, p.flinkJobId));
      const failed = p.flinkState === 'FAILED';
      // A retained checkpoint of a run of ours: the newest state to start from should Flink lose it.
      const ours = state.current?.flinkJobId === p.flinkJobId || state.pending?.flinkJobId === p.flinkJobId;
      if (ours && p.lastCheckpoint?.path && (state.lastCheckpoint?.flinkJobId !== p.flinkJobId || p.lastCheckpoint.id > state.lastCheckpoint.id)) {
        state = { ...state, lastCheckpoint: { flinkJobId: p.flinkJobId, id: p.lastCheckpoint.id, path: p.lastCheckpoint.path, completedAt: p.lastCheckpoint.completedAt } };
        const version = [state.current, ...state.others].find((r) => r?.flinkJobId === p.flinkJobId)?.specVersion ?? state.pending?.specVersion;
        if (version !== undefined) state = rememberCheckpoint(state, { version, flinkJobId: p.flinkJobId, id: p.lastCheckpoint.id, path: p.lastCheckpoint.path, completedAt: p.lastCheckpoint.completedAt });
      }
      if (state.current?.flinkJobId === p.flinkJobId) {
        const ended = TERMINAL_FLINK_STATES.has(p.flinkState) && !state.current.endedAt ? { endedAt: at } : {};
        const current = { ...state.current, state: p.flinkState, ...ended };
        // Stream versions become stable through their gates (StabilityConfirmed); a batch run by finishing.
        const healthy = p.flinkState === 'FINISHED' && state.desired?.spec.job_type === 'batch';
        const { health, restartTimes } = observeHealth(state, p, at);
        return {
          ...state,
          health,
          restartTimes,
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
        return { ...state, others: stillGoing(state.others.map((r) => (r.flinkJobId === p.flinkJobId ? { ...r, state: p.flinkState } : r))) };
      }
      return state;
    }
  }
}

/** The current run's health after an observation: when it became RUNNING, restarts (each new
 *  one remembered for the restart budget), completed checkpoints, output rate. */
function observeHealth(state: JobState, p: Extract<ReconcilerInput, { type: 'JobObserved' }>['payload'], at: string): { health: RunHealth; restartTimes: readonly string[] } {
  const before = state.health?.flinkJobId === p.flinkJobId ? state.health : null;
  const restarts = p.restarts ?? before?.restarts ?? null;
  const newRestarts = restarts !== null ? Math.max(0, restarts - (before?.restarts ?? 0)) : 0;
  const running = p.flinkState === 'RUNNING';
  const runningSince = running ? (newRestarts > 0 || !before?.runningSince ? at : before.runningSince) : null;
  const times = [...(state.restartTimes ?? []), ...Array.from({ length: Math.min(newRestarts, RESTART_TIMES_KEPT) }, () => at)].slice(-RESTART_TIMES_KEPT);
  return {
    health: {
      flinkJobId: p.flinkJobId,
      runningSince,
      restarts,
      checkpointsCompleted: p.checkpoints?.completed ?? before?.checkpointsCompleted ?? null,
      recordsOutPerSecond: p.recordsOutPerSecond ?? (running ? (before?.recordsOutPerSecond ?? null) : null),
    },
    restartTimes: times,
  };
}

/** A savepoint learnt of, with the version of the run it came from, waiting to be recorded. */
function learnSavepoint(state: JobState, path: string, flinkJobId: string, at: string, origin: SavepointOrigin): JobState {
  if ((state.savepoints ?? []).some((s) => s.path === path) || (state.unrecordedSavepoints ?? []).some((s) => s.path === path)) return state;
  const run = [state.current, ...state.others].find((r) => r?.flinkJobId === flinkJobId) ?? null;
  const version = run?.specVersion ?? state.deployedVersion;
  if (version === null) return state;
  const spec = state.deployedVersion === version ? state.deployedSpec : state.desired?.version === version ? state.desired.spec : state.stableSpec;
  if (!spec) return state;
  const record: Omit<SavepointRecord, 'disposing' | 'disposeFailures'> = { path, version, specHash: specHash(spec), flinkJobId, takenAt: at, origin };
  return { ...state, unrecordedSavepoints: [...(state.unrecordedSavepoints ?? []), record] };
}

/** A savepoint observed while an upgrade or a stop of that job is in flight was taken by it. */
function pendingOrigin(state: JobState, flinkJobId: string): SavepointOrigin {
  const pending = state.pending;
  if (!pending) return 'observed';
  const action = pending.request.action;
  if (action.kind === 'Upgrade' && action.fromFlinkJobId === flinkJobId) return 'upgrade';
  if (action.kind === 'Stop' && action.flinkJobId === flinkJobId) return 'stop';
  return 'observed';
}

/**
 * The checkpoint Flink retained of a run an action ended (ActionSucceeded `retainedCheckpoint`):
 * newer than any observed while it ran, which the ones completed since have usually subsumed.
 * It becomes the newest state to start from, and its version's.
 */
function learnRetainedCheckpoint(state: JobState, flinkJobId: string, retained: { id: number; path: string; completedAt: string } | undefined, successor?: string): JobState {
  if (retained === undefined) return state;
  const known = state.lastCheckpoint;
  // A checkpoint of the run that replaced it (an upgrade's new job) is newer still.
  const newer = known === null || known === undefined || (known.flinkJobId === flinkJobId ? retained.id > known.id : known.flinkJobId !== successor);
  const withLast = newer ? { ...state, lastCheckpoint: { flinkJobId, ...retained } } : state;
  return rememberRetained(withLast, flinkJobId, retained);
}

/**
 * A restart-budget redeploy planned from the newest checkpoint known when the budget was spent
 * starts from the one its Cancel (keepState) retained: newer still, and the planned one may have
 * been subsumed and deleted since. A savepoint it planned from stays.
 */
function redeployFromRetained(state: JobState, cancelled: DeployerAction | undefined, retained: { path: string } | undefined): JobState {
  const rollback = state.rollback;
  if (retained === undefined || cancelled?.kind !== 'Cancel' || cancelled.keepState !== true) return state;
  if (!rollback || rollback.trigger !== 'restart-budget' || rollback.deployedFlinkJobId !== null || rollback.restoreFrom?.kind !== 'checkpoint') return state;
  return { ...state, rollback: { ...rollback, restoreFrom: { kind: 'checkpoint', path: retained.path } } };
}

function rememberRetained(state: JobState, flinkJobId: string, retained: { id: number; path: string; completedAt: string }): JobState {
  const version = [state.current, ...state.others].find((r) => r?.flinkJobId === flinkJobId)?.specVersion;
  return version === undefined ? state : rememberCheckpoint(state, { version, flinkJobId, ...retained });
}

function rememberCheckpoint(state: JobState, checkpoint: VersionCheckpoint): JobState {
  const others = (state.versionCheckpoints ?? []).filter((c) => c.version !== checkpoint.version);
  const same = (state.versionCheckpoints ?? []).find((c) => c.version === checkpoint.version);
  if (same && same.flinkJobId === checkpoint.flinkJobId && same.id >= checkpoint.id) return state;
  return { ...state, versionCheckpoints: [...others, checkpoint].slice(-VERSION_CHECKPOINTS_KEPT) };
}

/** A run of a cron job with batch_config.max_runs is remembered for the CleanUp after the last
 *  run; a new run also gives a clean-up that was given up another chance. */
function rememberRun(state: JobState, spec: JobSpec, flinkJobId: string): Pick<JobState, 'runsToCleanUp' | 'cleanUpFailures'> | Record<string, never> {
  if (spec.job_type !== 'batch' || spec.batch_config.cron === undefined || spec.batch_config.max_runs === undefined) return {};
  const runs = state.runsToCleanUp ?? [];
  if (runs.includes(flinkJobId)) return {};
  return { runsToCleanUp: [...runs, flinkJobId].slice(-CLEAN_UP_MAX_RUNS), cleanUpFailures: null };
}

/** Runs kept aside (concurrency_policy allow) are forgotten once they ended: the log keeps their
 *  story, and a cron job's state does not grow with every overlapping run. */
function stillGoing(runs: readonly FlinkRun[]): readonly FlinkRun[] {
  return runs.filter((r) => activeRun(r) !== null);
}

function markRun(run: FlinkRun | null, flinkJobId: string, to: FlinkRun['state'], at?: string): FlinkRun | null {
  return run && run.flinkJobId === flinkJobId ? { ...run, state: to, ...(at && !run.endedAt ? { endedAt: at } : {}) } : run;
}
