// What the deployer saw of a job in Flink (fjc.job.observations): the input the reconciler
// compares the desired spec with.
import { z } from 'zod';
import { FlinkJobIdSchema, TriggerIdSchema, UtcTimestampSchema } from './common';

/** Flink's JobStatus, plus NOT_FOUND when Flink does not know the job id. */
export const FLINK_JOB_STATES = [
  'INITIALIZING',
  'CREATED',
  'RUNNING',
  'FAILING',
  'FAILED',
  'CANCELLING',
  'CANCELED',
  'FINISHED',
  'RESTARTING',
  'SUSPENDED',
  'RECONCILING',
  'NOT_FOUND',
] as const;
export const FlinkJobStateSchema = z.enum(FLINK_JOB_STATES);
export type FlinkJobState = z.infer<typeof FlinkJobStateSchema>;

export const SavepointObservationSchema = z.strictObject({
  triggerId: TriggerIdSchema,
  status: z.enum(['IN_PROGRESS', 'COMPLETED', 'FAILED']),
  /** Set when COMPLETED. */
  location: z.string().min(1).optional(),
  /** Set when FAILED: Flink's failure cause. */
  failureCause: z.string().min(1).optional(),
});

export const JobObservedV1 = z.strictObject({
  flinkJobId: FlinkJobIdSchema,
  flinkState: FlinkJobStateSchema,
  startTime: UtcTimestampSchema.optional(),
  endTime: UtcTimestampSchema.optional(),
  lastCheckpoint: z
    .object({
      id: z.int().min(1),
      path: z.string().min(1).optional(),
      completedAt: UtcTimestampSchema,
    })
    .optional(),
  /** The savepoint FJC triggered most recently, as Flink reports it. */
  savepoint: SavepointObservationSchema.optional(),
  /** The root exception, when the job failed or is failing. */
  failure: z.strictObject({ message: z.string().min(1) }).optional(),
  backpressure: z.enum(['ok', 'low', 'high']).optional(),
  /** The Flink version of the cluster the job runs on, as its REST API reports it
   *  (`GET /config`, `flink-version`): detected, never configured. */
  flinkVersion: z.string().min(1).optional(),
  /** How many times Flink restarted this job (its `numRestarts` job metric). Absent in older
   *  events and when Flink did not report it. */
  restarts: z.int().min(0).optional(),
  /** Flink's checkpoint counts for this job (`GET /jobs/{id}/checkpoints`, `counts`). */
  checkpoints: z
    .strictObject({ completed: z.int().min(0), failed: z.int().min(0), inProgress: z.int().min(0) })
    .optional(),
  /** Records per second the job's source vertices emit (sum of their `numRecordsOutPerSecond`). */
  recordsOutPerSecond: z.number().min(0).optional(),
});

/** One entry of Flink's exception history of a job (`GET /jobs/{id}/exceptions`), emitted once. */
export const JobExceptionObservedV1 = z.strictObject({
  flinkJobId: FlinkJobIdSchema,
  /** A stable dedup key: sha256 (hex) of flinkJobId, timestamp and exception name. */
  exceptionId: z.string().min(1),
  /** When Flink recorded the failure. */
  timestamp: UtcTimestampSchema,
  /** The root cause: exception class and message (secret values of the job replaced by [REDACTED]). */
  rootCause: z.strictObject({ name: z.string(), message: z.string() }),
  taskName: z.string().min(1).optional(),
  /** Where the failing task ran (a TaskManager's host:port), as Flink reports it. */
  location: z.string().min(1).optional(),
  /** The job's restart count when the exception was read. */
  restartCount: z.int().min(0).optional(),
});
