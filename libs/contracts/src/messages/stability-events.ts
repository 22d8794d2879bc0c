// The reconciler's own decisions about a version's health (fjc.job.lifecycle, stream
// reconciler-<jobId>): a candidate passed or failed its stability gates, a rollback started and
// completed, a savepoint was recorded with the version it belongs to, a job ran out of its
// restart budget. Each carries the evidence it was decided on, so the log tells the whole story.
import { z } from 'zod';
import { RestoreSourceSchema } from './action-events';
import { ErrorInfoSchema, FlinkJobIdSchema, SpecVersionSchema, UtcTimestampSchema } from './common';

/** What the reconciler saw of a Flink job when it decided. */
export const StabilityEvidenceSchema = z.strictObject({
  flinkState: z.string().min(1),
  /** Time since the job last became RUNNING (0 when it is not running). */
  runningForMs: z.int().min(0),
  /** Time since the candidate's job was started. */
  candidateForMs: z.int().min(0),
  checkpointsCompleted: z.int().min(0).nullable(),
  restarts: z.int().min(0).nullable(),
  recordsOutPerSecond: z.number().min(0).nullable(),
  backpressure: z.enum(['ok', 'low', 'high']).nullable(),
});
export type StabilityEvidence = z.infer<typeof StabilityEvidenceSchema>;

export const StabilityConfirmedV1 = z.strictObject({
  version: SpecVersionSchema,
  flinkJobId: FlinkJobIdSchema,
  evidence: StabilityEvidenceSchema,
});

export const STABILITY_FAILURE_CODES = [
  /** The candidate's Flink job failed (or restarted more than stability.max_restarts allows). */
  'FJC_STABILITY_JOB_FAILED',
  'FJC_STABILITY_TOO_MANY_RESTARTS',
  /** The gates did not all pass within stability.deadline. */
  'FJC_STABILITY_GATE_TIMEOUT',
] as const;

export const StabilityFailedV1 = z.strictObject({
  version: SpecVersionSchema,
  flinkJobId: FlinkJobIdSchema,
  error: ErrorInfoSchema,
  evidence: StabilityEvidenceSchema,
  /** Whether a rollback to the last stable version follows (auto_rollback). */
  rollback: z.boolean(),
});

export const RollbackStartedV1 = z.strictObject({
  /** The version given up. */
  fromVersion: SpecVersionSchema,
  /** The version whose spec runs again. */
  toVersion: SpecVersionSchema,
  trigger: z.enum(['automatic', 'operator']),
  reason: z.string().min(1),
  /** The state the rolled-back job starts from; null: none (stateless, or none kept). */
  restoreFrom: RestoreSourceSchema.nullable(),
});

export const RollbackCompletedV1 = z.strictObject({
  fromVersion: SpecVersionSchema,
  toVersion: SpecVersionSchema,
  flinkJobId: FlinkJobIdSchema,
  restoredFrom: RestoreSourceSchema.nullable(),
});

export const SAVEPOINT_ORIGINS = ['upgrade', 'stop', 'triggered', 'observed'] as const;

/** A savepoint FJC took or observed, with the spec version and spec hash of the job it came from. */
export const SavepointRecordedV1 = z.strictObject({
  path: z.string().min(1),
  version: SpecVersionSchema,
  specHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  flinkJobId: FlinkJobIdSchema,
  takenAt: UtcTimestampSchema,
  origin: z.enum(SAVEPOINT_ORIGINS),
});

/** More restarts than stream_config.restart_budget allows within its window. */
export const JobUnhealthyV1 = z.strictObject({
  version: SpecVersionSchema,
  flinkJobId: FlinkJobIdSchema,
  restarts: z.int().min(0),
  windowMs: z.int().min(0),
  remedy: z.enum(['redeploy', 'rollback', 'alert']),
});

/** A new spec version taken as deployed without touching Flink: it changes nothing Flink runs. */
export const VersionAdoptedV1 = z.strictObject({
  version: SpecVersionSchema,
  reason: z.enum(['metadata-only', 'no-change']),
});

/** A scheduled run not started: the previous one still runs (concurrency_policy forbid), max_runs
 *  was reached, or the job is suspended. */
export const TickSkippedV1 = z.strictObject({
  scheduledTime: UtcTimestampSchema,
  runNumber: z.int().min(1),
  reason: z.enum(['forbid', 'max_runs', 'suspended']),
});

/** A service level missed (batch_config.sla or stream_config.sla), recorded once per run or window. */
export const SlaMissedV1 = z.strictObject({
  /** deadline / within: a batch run; availability: a stream window. */
  objective: z.enum(['deadline', 'within', 'availability']),
  version: z.int().min(1),
  /** The batch run: its number (0 unscheduled), Flink job and the time it was due. */
  run: z.strictObject({ runNumber: z.int().min(0), flinkJobId: z.string(), scheduledAt: UtcTimestampSchema, dueAt: UtcTimestampSchema }).nullable(),
  /** The stream window measured. */
  window: z.strictObject({ start: UtcTimestampSchema, end: UtcTimestampSchema }).nullable(),
  /** What was promised ("finished by 06:00 Europe/Berlin", "finished within 300 s", "99.5% RUNNING"). */
  target: z.string(),
  /** What happened ("still RUNNING at the deadline", "FAILED", "97.25% RUNNING"). */
  actual: z.string(),
});

/** A job with state that cannot go on without an operator's word (`fjc recover`). */
export const AttentionNeededV1 = z.strictObject({
  error: ErrorInfoSchema,
});

/** An operator's recovery decision carried out without a deploy (the job is suspended). */
export const RecoveryAppliedV1 = z.strictObject({
  from: z.enum(['savepoint', 'empty-state']),
  suspended: z.literal(true),
});

/** A version's Flink job that FAILED past its restart strategy is started again (attempt of at most 3). */
export const JobRedeployedV1 = z.strictObject({
  version: SpecVersionSchema,
  attempt: z.int().min(1),
});

/** Stable codes of a batch run ended by FJC because it went on too long. */
export const BATCH_RUN_LIMIT_CODES = { ttl_seconds: 'FJC_BATCH_TTL_EXCEEDED', completion_timeout_seconds: 'FJC_BATCH_COMPLETION_TIMEOUT' } as const;

/**
 * A batch run still going past one of its limits: FJC ends it and records it FAILED with the
 * error here. Past batch_config.ttl_seconds it is first stopped with a savepoint (a streaming
 * program ends gracefully); a run still going at `cancelAt` (or whose stop Flink refused, as it
 * does for a BATCH-mode job) is cancelled. Past batch_config.completion_timeout_seconds (Flink
 * never reported it ended) it is cancelled at once (`cancelAt` is the decision's time).
 */
export const BatchRunExpiredV1 = z.strictObject({
  version: SpecVersionSchema,
  flinkJobId: FlinkJobIdSchema,
  runNumber: z.int().min(0),
  limit: z.enum(['ttl_seconds', 'completion_timeout_seconds']),
  limitSeconds: z.int().min(1),
  /** When the run is cancelled if the stop with a savepoint has not ended it. */
  cancelAt: UtcTimestampSchema,
  error: ErrorInfoSchema,
});

/** A scheduled run whose Flink job FAILED is started again (batch_config.retry): attempt
 *  `attempt` of `maxAttempts` of run `runNumber`, at `retryAt`. */
export const BatchRunRetriedV1 = z.strictObject({
  version: SpecVersionSchema,
  runNumber: z.int().min(1),
  failedFlinkJobId: FlinkJobIdSchema,
  attempt: z.int().min(2),
  maxAttempts: z.int().min(2),
  retryAt: UtcTimestampSchema,
  error: ErrorInfoSchema,
});
