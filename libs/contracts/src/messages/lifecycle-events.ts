// The lifecycle of a job as the reconciler decides it (fjc.job.lifecycle): the state the
// spec-service shows, with the versions involved and the last error.
import { z } from 'zod';
import { ErrorInfoSchema, FlinkJobIdSchema, SpecVersionSchema } from './common';

export const LIFECYCLE_STATES = [
  'CREATED',
  'DEPLOYING',
  'RUNNING',
  'UPGRADING',
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
  /** Set when monitoring.alert_on_failure or alert_on_backpressure asks for an alert. */
  alert: z.boolean().default(false),
});
