// The lifecycle of a job as the reconciler decides it (fjc.job.lifecycle): the state the
// spec-service shows, with the versions involved and the last error.
import { z } from 'zod';
import { ErrorInfoSchema, FlinkJobIdSchema, SpecVersionSchema } from './common';

export const LIFECYCLE_STATES = [
  'CREATED',
  'DEPLOYING',
  'RUNNING',
  /** Flink is restarting the job (its restart strategy at work); FAILING: it is failing. */
  'RESTARTING',
  'FAILING',
  /** Flink is cancelling the job and FJC did not ask for it (someone else did, in Flink's UI or REST). */
  'CANCELLING',
  'UPGRADING',
  /** A version that failed its stability gates is being replaced by the last stable one. */
  'ROLLING_BACK',
  /** The last stable version runs because the desired one failed; not tried again until a new version. */
  'ROLLED_BACK',
  'SUSPENDING',
  'SUSPENDED',
  /** A cron batch job between runs. */
  'SCHEDULED',
  'FINISHED',
  'FAILED',
  /** A job that had state lost it (or a last-state upgrade found none): it waits for an
   *  operator (`fjc recover`) instead of starting empty. lastError FJC_STATE_NOT_FOUND. */
  'NEEDS_ATTENTION',
  'DELETING',
  'DELETED',
] as const;
export const LifecycleStateSchema = z.enum(LIFECYCLE_STATES);
export type LifecycleState = z.infer<typeof LifecycleStateSchema>;

export const LifecycleChangedV1 = z.strictObject({
  /** null for the first event of a job. */
  from: LifecycleStateSchema.nullable(),
  to: LifecycleStateSchema,
  /** The spec version FJC is working towards. */
  desiredVersion: SpecVersionSchema,
  /** The spec version running in Flink, if any. */
  deployedVersion: SpecVersionSchema.nullable(),
  /** The last version that ran healthy: what a rollback usually goes back to. */
  lastStableVersion: SpecVersionSchema.nullable(),
  flinkJobId: FlinkJobIdSchema.nullable(),
  /** The Flink version of the cluster the job last ran on, as the deployer detected it. Absent
   *  in events written before FJC detected versions. */
  flinkVersion: z.string().min(1).nullable().optional(),
  /** Why the state changed, for people. */
  reason: z.string().min(1),
  lastError: ErrorInfoSchema.nullable(),
  /** Restarts of the current Flink job, as Flink counts them. Absent in older events. */
  restarts: z.int().min(0).nullable().optional(),
  /** The deployed version is a candidate: it has not passed its stability gates yet. Absent in older events. */
  candidate: z.boolean().optional(),
  /** The version that failed (its gates or its job) and was given up, until a new version. Absent in older events. */
  failedVersion: SpecVersionSchema.nullable().optional(),
  /** Set when monitoring.alert_on_failure or alert_on_backpressure asks for an alert, on a rollback, and on an unhealthy job. */
  alert: z.boolean().default(false),
});
