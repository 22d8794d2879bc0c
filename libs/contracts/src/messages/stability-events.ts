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
