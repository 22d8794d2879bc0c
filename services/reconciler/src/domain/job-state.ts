// What the reconciler knows of one job: the desired spec (from the spec stream), what runs in
// Flink (from action results and observations), the action in flight, and what it last
// announced. Plain JSON so it can live in one jsonb column and be rebuilt by replay.
import type { SlaTracker } from './sla';
import type { ErrorInfo, FlinkJobState, JobSpec, LifecycleState, PayloadOf } from '@fjc/contracts';

export interface DesiredJob {
  readonly version: number;
  readonly spec: JobSpec;
  /** The SpecUpdated/... event that made this version: causation of what follows from it. */
  readonly eventId: string;
  readonly correlationId: string;
  readonly actor: { readonly kind: 'user' | 'service' | 'upstream'; readonly id: string };
}

/** One Flink job FJC submitted for this FJC job. */
export interface FlinkRun {
  readonly flinkJobId: string;
  readonly specVersion: number;
  readonly state: FlinkJobState | 'SUBMITTED';
  readonly startedAt: string;
  /** For batch runs: which scheduled run (1, 2, ...), 0 for an unscheduled run. */
  readonly runNumber: number;
  /** The tick's time of a scheduled run (batch_config.sla counts from it); optional: older rows lack it. */
  readonly scheduledAt?: string;
  /** When the run was first seen in a terminal state. */
  readonly endedAt?: string;
}

export type PendingActionKind = 'Deploy' | 'Upgrade' | 'Stop' | 'Cancel';

export interface PendingAction {
  readonly actionId: string;
  readonly kind: PendingActionKind;
  readonly requestedAt: string;
  readonly specVersion: number;
  /** Deploy/Upgrade: the new Flink job id; Stop/Cancel: the job acted on. */
  readonly flinkJobId: string;
  readonly runNumber: number;
  /** The ActionRequested payload, kept so a resync can re-send it unchanged. */
  readonly request: PayloadOf<'ActionRequested'>;
  /** A Deploy of a scheduled run: the tick's time, handed to the run it starts. */
  readonly scheduledAt?: string;
}

export interface Announced {
  readonly state: LifecycleState;
  readonly deployedVersion: number | null;
  readonly lastStableVersion: number | null;
  readonly flinkJobId: string | null;
  /** Optional: states stored before versions were detected lack it. */
  readonly flinkVersion?: string | null;
  readonly lastErrorCode: string | null;
  readonly alert: boolean;
  /** Optional: states stored before stability gates lack them. */
  readonly candidate?: boolean;
  readonly failedVersion?: number | null;
}

/** A retained checkpoint of a run, as the deployer recorded it (JobObserved lastCheckpoint). */
export interface KnownCheckpoint {
  readonly flinkJobId: string;
  readonly id: number;
  readonly path: string;
  readonly completedAt: string;
}

/** Where an operator said a job that lost its state starts from (`fjc recover`). */
export type RecoveryChoice = { readonly kind: 'savepoint'; readonly path: string } | { readonly kind: 'empty-state' };

/** A new deployment of a stream version that has not passed its stability gates yet. */
export interface Candidate {
  readonly version: number;
  readonly flinkJobId: string;
  /** When its job was started (the deadline counts from here). */
  readonly since: string;
}

/** What the observations say about the current run's health. */
export interface RunHealth {
  readonly flinkJobId: string;
  /** When it was last seen becoming RUNNING (after its start or its last restart); null when not running. */
  readonly runningSince: string | null;
  readonly restarts: number | null;
  readonly checkpointsCompleted: number | null;
  readonly recordsOutPerSecond: number | null;
}

export type SavepointOrigin = PayloadOf<'SavepointRecorded'>['origin'];

/** A savepoint with the version it belongs to (SavepointRecorded). */
export interface SavepointRecord {
  readonly path: string;
  readonly version: number;
  readonly specHash: string;
  readonly flinkJobId: string;
  readonly takenAt: string;
  readonly origin: SavepointOrigin;
  /** The DisposeSavepoint action in flight for it. */
  readonly disposing?: string | null;
  readonly disposeFailures?: number;
}

/** The newest retained checkpoint of a version's runs: what a last-state rollback restores. */
export interface VersionCheckpoint extends KnownCheckpoint {
  readonly version: number;
}

export type RestoreSource = NonNullable<PayloadOf<'RollbackStarted'>['restoreFrom']>;

/** A rollback (or a restart-budget redeploy) under way: the job that runs is replaced by `spec`. */
export interface Rollback {
  readonly trigger: 'automatic' | 'operator' | 'restart-budget';
  readonly fromVersion: number;
  readonly toVersion: number;
  /** The spec version the replacement runs under (toVersion, or the new version an operator's rollback made). */
  readonly deployVersion: number;
  readonly spec: JobSpec;
  /** null: as an ordinary upgrade (no state of toVersion known, or a stateless job). */
  readonly restoreFrom: RestoreSource | null;
  readonly reason: string;
  /** The replacement job, once the deployer started it. */
  readonly deployedFlinkJobId: string | null;
}

export interface JobState {
  readonly jobId: string;
  readonly desired: DesiredJob | null;
  readonly deleted: boolean;
  /** Spec version and spec of what runs (or last ran) in Flink. */
  readonly deployedVersion: number | null;
  readonly deployedSpec: JobSpec | null;
  readonly lastStableVersion: number | null;
  readonly current: FlinkRun | null;
  /** Earlier runs still going (batch concurrency_policy allow). */
  readonly others: readonly FlinkRun[];
  readonly pending: PendingAction | null;
  /** Observations and results travel on different topics: an observation of the job a pending
   *  Deploy/Upgrade submits can arrive before its ActionSucceeded, and is kept for it. */
  readonly earlyObservation: { readonly flinkJobId: string; readonly state: FlinkJobState } | null;
  readonly lastSavepoint: string | null;
  /** When the last savepoint was taken or asked for: paces stream_config.savepoint_trigger_interval. */
  readonly lastSavepointAt: string | null;
  readonly lastError: ErrorInfo | null;
  /** A failed action is not retried before this time. */
  readonly retryAfter: string | null;
  readonly failures: number;
  /** A version whose action failed for good: not tried again until a new version arrives. */
  readonly stuckVersion: number | null;
  /**
   * A Deploy that failed retryably may still have reached Flink (the answer was lost): its retry
   * submits under the same Flink job id, so Flink answers "already submitted" and the job is
   * adopted instead of a second one started. Optional: states stored before it lack it.
   */
  readonly unconfirmedDeploy?: { readonly flinkJobId: string; readonly specVersion: number; readonly runNumber: number } | null;
  /** Savepoints asked for (POST /jobs/{id}/savepoints) and not yet triggered. */
  readonly savepointRequests: ReadonlyArray<{
    readonly requestId: string;
    readonly targetDirectory: string | null;
    readonly eventId: string;
    readonly correlationId: string;
    readonly actor: DesiredJob['actor'];
  }>;
  /** Ticks received and not yet started (batch cron). */
  readonly dueTicks: ReadonlyArray<{ readonly scheduledTime: string; readonly runNumber: number; readonly eventId: string; readonly correlationId: string }>;
  readonly runsStarted: number;
  readonly announced: Announced | null;
  /** Last back-pressure level the deployer reported for the current job. */
  readonly backpressure: 'ok' | 'low' | 'high' | null;
  /** The Flink version the deployer detected on the cluster of the current job (optional:
   *  states stored before versions were detected lack it). */
  readonly flinkVersion?: string | null;
  /** When lastSavepoint was taken (lastSavepointAt also moves when a periodic one is asked for);
   *  optional: older states lack it. */
  readonly lastSavepointTakenAt?: string | null;
  /** The newest retained checkpoint recorded for the job's runs (optional: older states lack it). */
  readonly lastCheckpoint?: KnownCheckpoint | null;
  /** Set while a job that had state lost it and waits for an operator (NEEDS_ATTENTION). */
  readonly needsAttention?: { readonly reason: string } | null;
  /** How often a version's Flink job, FAILED past its restart strategy, was started again from
   *  its newest state (bounded by FAILED_REDEPLOY_LIMIT). Optional: absent in older rows. */
  readonly failedRedeploys?: { readonly specVersion: number; readonly count: number } | null;
  /** The spec of lastStableVersion: what an automatic rollback runs. Optional: older rows lack it. */
  readonly stableSpec?: JobSpec | null;
  readonly candidate?: Candidate | null;
  readonly health?: RunHealth | null;
  /** The version given up after it failed (rolled back); not tried again until a new version. */
  readonly failedVersion?: { readonly version: number; readonly error: ErrorInfo } | null;
  readonly rollback?: Rollback | null;
  /** An operator's rollback (JobRolledBack) the reconciler has not started yet. */
  readonly rollbackRequested?: { readonly fromVersion: number; readonly toVersion: number; readonly savepointPath?: string } | null;
  /** Savepoints learnt of and not yet recorded (SavepointRecorded), and those recorded and kept. */
  readonly unrecordedSavepoints?: readonly Omit<SavepointRecord, 'disposing' | 'disposeFailures'>[];
  readonly savepoints?: readonly SavepointRecord[];
  readonly versionCheckpoints?: readonly VersionCheckpoint[];
  /** How often the restart budget ran out for a version (redeploys stop after RESTART_BUDGET_REDEPLOYS). */
  readonly budgetSpent?: { readonly version: number; readonly count: number } | null;
  /** When the current job restarted, within the restart budget's window. */
  readonly restartTimes?: readonly string[];
  /** Service levels: the misses recorded and the stream window being measured (domain/sla.ts). */
  readonly sla?: SlaTracker | null;
  /** A batch run ended by FJC past its ttl_seconds (BatchRunExpired): it is stopped, then
   *  cancelled at `cancelAt`, and the job shows FAILED with `error` while it is the current run.
   *  Optional: older rows lack it. */
  readonly expiredRun?: { readonly flinkJobId: string; readonly cancelAt: string; readonly error: ErrorInfo } | null;
  /** The newest retry of a scheduled run (BatchRunRetried): attempt `attempt` of run `runNumber`
   *  replaces the FAILED run `failedFlinkJobId` at `retryAt`. Optional: older rows lack it. */
  readonly batchRetry?: { readonly runNumber: number; readonly failedFlinkJobId: string; readonly attempt: number; readonly retryAt: string } | null;
  /** The Flink jobs of the runs of a cron job with batch_config.max_runs started since its last
   *  CleanUp, oldest first, at most CLEAN_UP_MAX_RUNS: what the CleanUp after its last run names.
   *  Optional: older rows lack it (and jobs without max_runs never have one). */
  readonly runsToCleanUp?: readonly string[];
  /** The CleanUp in flight (its ActionRequested names the runs it covers). */
  readonly cleanUp?: { readonly actionId: string; readonly flinkJobIds: readonly string[] } | null;
  /** CleanUps that failed in a row since the last one that succeeded or the last new run, and
   *  when the next may be asked for (null: given up until a new run). */
  readonly cleanUpFailures?: { readonly count: number; readonly retryAt: string | null } | null;
  /** An operator's decision (`fjc recover`) not yet carried out. */
  readonly recovery?: {
    readonly from: RecoveryChoice;
    readonly eventId: string;
    readonly correlationId: string;
    readonly actor: DesiredJob['actor'];
  } | null;
}

export function initialJobState(jobId: string): JobState {
  return {
    jobId,
    desired: null,
    deleted: false,
    deployedVersion: null,
    deployedSpec: null,
    lastStableVersion: null,
    current: null,
    others: [],
    pending: null,
    earlyObservation: null,
    lastSavepoint: null,
    lastSavepointAt: null,
    lastError: null,
    retryAfter: null,
    failures: 0,
    stuckVersion: null,
    unconfirmedDeploy: null,
    savepointRequests: [],
    dueTicks: [],
    runsStarted: 0,
    announced: null,
    backpressure: null,
    flinkVersion: null,
    lastSavepointTakenAt: null,
    lastCheckpoint: null,
    needsAttention: null,
    recovery: null,
    stableSpec: null,
    candidate: null,
    health: null,
    failedVersion: null,
    rollback: null,
    rollbackRequested: null,
    unrecordedSavepoints: [],
    savepoints: [],
    versionCheckpoints: [],
    restartTimes: [],
  };
}

/** upgrade_mode savepoint or last-state: the job keeps state, which FJC never drops in silence. */
// Shared with the spec-service's plan (libs/contracts), so both judge state the same way.
export { keepsState } from '@fjc/contracts';

export const TERMINAL_FLINK_STATES: ReadonlySet<string> = new Set(['FINISHED', 'FAILED', 'CANCELED', 'SUSPENDED', 'NOT_FOUND']);

/** The error of the current run when FJC ended it past its batch limits (it shows FAILED). */
export function expiredRunError(state: JobState): ErrorInfo | null {
  const expired = state.expiredRun;
  return expired && state.current?.flinkJobId === expired.flinkJobId && activeRun(state.current) === null ? expired.error : null;
}

/** The retry waiting to replace the current, FAILED run (batch_config.retry), if any. */
export function retryDue(state: JobState): NonNullable<JobState['batchRetry']> | null {
  const retry = state.batchRetry;
  return retry && state.current?.flinkJobId === retry.failedFlinkJobId ? retry : null;
}

/** The run, when it is still going in Flink (submitted, running, restarting...); else null. */
export function activeRun(run: FlinkRun | null): FlinkRun | null {
  return run !== null && !TERMINAL_FLINK_STATES.has(run.state) ? run : null;
}
