// Actions the reconciler asks the deployer to carry out (fjc.deploy.actions) and what became
// of them (fjc.deploy.results). Actions are tagged data. Every identifier Flink needs to make
// a retry harmless (the Flink job id of a submission, the triggerId of a savepoint) is chosen
// by the reconciler and recorded in ActionRequested before anything calls Flink.
import { z } from 'zod';
import { JobSpecSchema, UPGRADE_MODES } from '../spec/job-spec';
import { FlinkJobIdSchema, SpecVersionSchema, TriggerIdSchema, UtcTimestampSchema, UuidSchema } from './common';

/** Where a deploy restores state from. */
export const RestoreSourceSchema = z.strictObject({
  kind: z.enum(['savepoint', 'checkpoint']),
  path: z.string().min(1),
});

export const DeployActionSchema = z.strictObject({
  kind: z.literal('Deploy'),
  /** The Flink job id to submit under (run request jobId). */
  flinkJobId: FlinkJobIdSchema,
  specVersion: SpecVersionSchema,
  spec: JobSpecSchema,
  restoreFrom: RestoreSourceSchema.optional(),
});

/** Replace a running job by a new version, carrying state as upgrade_mode says. */
export const UpgradeActionSchema = z
  .object({
    kind: z.literal('Upgrade'),
    fromFlinkJobId: FlinkJobIdSchema,
    flinkJobId: FlinkJobIdSchema,
    specVersion: SpecVersionSchema,
    spec: JobSpecSchema,
    upgradeMode: z.enum(UPGRADE_MODES),
    /** For upgradeMode savepoint: the triggerId of the stop-with-savepoint. */
    savepointTriggerId: TriggerIdSchema.optional(),
  })
  .refine((a) => a.upgradeMode !== 'savepoint' || a.savepointTriggerId !== undefined, {
    path: ['savepointTriggerId'],
    message: 'is required when upgradeMode is savepoint',
  })
  .refine((a) => a.fromFlinkJobId !== a.flinkJobId, {
    path: ['flinkJobId'],
    message: 'must differ from fromFlinkJobId: Flink never accepts a job id twice',
  });

export const StopActionSchema = z
  .object({
    kind: z.literal('Stop'),
    flinkJobId: FlinkJobIdSchema,
    withSavepoint: z.boolean(),
    /** Required with a savepoint: POST /jobs/:id/stop triggerId. */
    triggerId: TriggerIdSchema.optional(),
    targetDirectory: z.string().min(1).optional(),
    /** Drain (emit MAX_WATERMARK) before stopping: only for a final stop. */
    drain: z.boolean().default(false),
  })
  .refine((a) => !a.withSavepoint || a.triggerId !== undefined, {
    path: ['triggerId'],
    message: 'is required when withSavepoint is true',
  });

export const CancelActionSchema = z.strictObject({
  kind: z.literal('Cancel'),
  flinkJobId: FlinkJobIdSchema,
  /** The job starts again from the state this cancel leaves (a restart-budget redeploy): the
   *  deployer reports the checkpoint it retained (ActionSucceeded `retainedCheckpoint`), which
   *  takes one wait for Flink's statistics to catch up. Absent: nothing starts from it (a delete). */
  keepState: z.boolean().optional(),
});

export const TriggerSavepointActionSchema = z.strictObject({
  kind: z.literal('TriggerSavepoint'),
  flinkJobId: FlinkJobIdSchema,
  triggerId: TriggerIdSchema,
  targetDirectory: z.string().min(1).optional(),
});

/** Delete a savepoint through Flink (POST /savepoint-disposal); a path already gone counts as done. */
export const DisposeSavepointActionSchema = z.strictObject({
  kind: z.literal('DisposeSavepoint'),
  path: z.string().min(1),
  /** Names this disposal for idempotent retries (Flink assigns its own trigger id for the REST call). */
  triggerId: TriggerIdSchema,
});

/** Runs one CleanUp names at most: the reconciler remembers no more ended runs per job. */
export const CLEAN_UP_MAX_RUNS = 1000;

/**
 * A cron batch job ran its batch_config.max_runs and none of its runs goes on: the jars of its
 * ended runs are deleted from the cluster (each one nothing else on the cluster uses) and the
 * deployer's records of those runs are pruned. Acts on no live job; repeating it is harmless.
 */
export const CleanUpActionSchema = z.strictObject({
  kind: z.literal('CleanUp'),
  /** The Flink jobs of the job's ended runs. */
  flinkJobIds: z.array(FlinkJobIdSchema).min(1).max(CLEAN_UP_MAX_RUNS),
  reason: z.enum(['max_runs']),
});

export const DeployerActionSchema = z.discriminatedUnion('kind', [
  DeployActionSchema,
  UpgradeActionSchema,
  StopActionSchema,
  CancelActionSchema,
  TriggerSavepointActionSchema,
  DisposeSavepointActionSchema,
  CleanUpActionSchema,
]);
export type DeployerAction = z.infer<typeof DeployerActionSchema>;
export const ACTION_KINDS = ['Deploy', 'Upgrade', 'Stop', 'Cancel', 'TriggerSavepoint', 'DisposeSavepoint', 'CleanUp'] as const;
export const ActionKindSchema = z.enum(ACTION_KINDS);
export type ActionKind = z.infer<typeof ActionKindSchema>;

export const ActionRequestedV1 = z.strictObject({
  actionId: UuidSchema,
  /** The session cluster to act on (spec.cluster of the version the action serves). */
  cluster: z.string().min(1),
  action: DeployerActionSchema,
});

/** The deployer recorded the action as started; only then does it call Flink. */
export const ActionStartedV1 = z.strictObject({
  actionId: UuidSchema,
  kind: ActionKindSchema,
  /** 1 for the first attempt; a restart after a crash resumes with the next. */
  attempt: z.int().min(1),
});

export const SavepointResultSchema = z.strictObject({
  triggerId: TriggerIdSchema,
  location: z.string().min(1),
});

/** The actions that act on a Flink job. */
export const JOB_ACTION_KINDS = ['Deploy', 'Upgrade', 'Stop', 'Cancel', 'TriggerSavepoint'] as const;

export const JobActionSucceededSchema = z.strictObject({
  actionId: UuidSchema,
  kind: z.enum(JOB_ACTION_KINDS),
  /** The Flink job the action left running (Deploy, Upgrade) or acted on. */
  flinkJobId: FlinkJobIdSchema,
  /** Set when the action took a savepoint (Stop with savepoint, Upgrade in savepoint mode, TriggerSavepoint). */
  savepoint: SavepointResultSchema.optional(),
  /** Deploy: the state the new job started from, as submitted (a newer retained checkpoint than
   *  the one asked for when one completed after the last observation); Upgrade in last-state
   *  mode: the retained checkpoint it started from. Absent in older events. */
  restoredFrom: RestoreSourceSchema.optional(),
  /** Cancel, Stop without savepoint, Upgrade in last-state mode: the newest checkpoint Flink retained of the job the
   *  action ended, read once Flink's checkpoint statistics postdate its end (the state to start
   *  from next; a checkpoint observed while it ran has usually been subsumed and deleted since).
   *  Absent when it retained none, and in older events. */
  retainedCheckpoint: z.strictObject({ id: z.int().min(1), path: z.string().min(1), completedAt: UtcTimestampSchema }).optional(),
  /** Deploy, Upgrade: the SHA-256 (hex) of the jar bytes the deployer uploaded, whether or not the
   *  spec named one, so the log always says which bytes ran. Absent in older events. */
  artifact: z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
});

/** DisposeSavepoint acts on no job: it names the savepoint it removed (or found already gone). */
export const DisposeSavepointSucceededSchema = z.strictObject({
  actionId: UuidSchema,
  kind: z.literal('DisposeSavepoint'),
  path: z.string().min(1),
});

/** CleanUp acts on no live job: it says what it removed. A new kind, so no older event lacks the counts. */
export const CleanUpSucceededSchema = z.strictObject({
  actionId: UuidSchema,
  kind: z.literal('CleanUp'),
  /** Jars the deployer deleted from the cluster (one still used elsewhere, or already gone, is not counted). */
  jarsDeleted: z.int().min(0),
  /** Runs whose records (deployer_jobs, their finished actions and reported exceptions) were pruned. */
  runsPruned: z.int().min(0),
});

export const ActionSucceededV1 = z.discriminatedUnion('kind', [JobActionSucceededSchema, DisposeSavepointSucceededSchema, CleanUpSucceededSchema]);

/** Why an action failed, as codes a reconciler can decide on. */
export const ACTION_ERROR_CODES = [
  'FJC_FLINK_UNREACHABLE',
  'FJC_FLINK_REJECTED',
  /** The TLS handshake with the cluster failed: its certificate does not verify against the
   *  configured CA, or it refused FJC's client certificate. Never retryable; the message names the cluster. */
  'FJC_FLINK_TLS_UNTRUSTED',
  /** Flink refused the program itself (entry class not in the jar, main threw, not a jar, bad
   *  configuration); the message is Flink's own. Never retryable: the same submission fails the same way. */
  'FJC_FLINK_PROGRAM_INVALID',
  'FJC_FLINK_JOB_NOT_FOUND',
  'FJC_FLINK_DUPLICATE_JOB',
  'FJC_CLUSTER_UNKNOWN',
  'FJC_ARTIFACT_NOT_FOUND',
  'FJC_ARTIFACT_NOT_ALLOWED',
  /** The jar does not match artifact_signature (digest differs, or the signature does not verify with a trusted key). */
  'FJC_ARTIFACT_SIGNATURE_MISMATCH',
  /** The jar is larger than FJC_ARTIFACT_MAX_BYTES. */
  'FJC_ARTIFACT_TOO_LARGE',
  /** An https:// download did not finish within FJC_ARTIFACT_DOWNLOAD_TIMEOUT_MS. */
  'FJC_ARTIFACT_TIMEOUT',
  /** The spec breaks its namespace's artifact policy (a digest or signature required). */
  'FJC_ARTIFACT_POLICY_VIOLATION',
  'FJC_SAVEPOINT_FAILED',
  /** A last-state upgrade found no retained checkpoint: refused, the old job keeps running. */
  'FJC_STATE_NOT_FOUND',
  'FJC_ACTION_TIMEOUT',
  /** A {secretRef} of the spec that no secret provider of the deployer has; the message names
   *  the reference and where it was looked for, never a value. Not retryable: an operator must add it. */
  'FJC_SECRET_NOT_FOUND',
  /** A secret provider has the reference but could not read it (permissions, I/O); retryable. */
  'FJC_SECRET_UNREADABLE',
  /** A {secretRef} outside the spec's namespace and the prefixes the operators' policy grants it
   *  (checked again before resolving, for a policy changed after apply). Not retryable. */
  'FJC_SECRET_OUT_OF_NAMESPACE',
  /** From upcasting v1 events, which carried a message and no code; and for an action the
   *  deployer gave up on after it failed a bounded number of times for a reason nobody classified. */
  'FJC_ACTION_UNCLASSIFIED',
] as const;
export const ActionErrorCodeSchema = z.enum(ACTION_ERROR_CODES);
export type ActionErrorCode = z.infer<typeof ActionErrorCodeSchema>;

/** v1 carried only a message; kept so events already in the log stay readable. */
export const ActionFailedV1 = z.strictObject({
  actionId: UuidSchema,
  kind: ActionKindSchema,
  error: z.string().min(1),
});

export const ActionFailedV2 = z.strictObject({
  actionId: UuidSchema,
  kind: ActionKindSchema,
  error: z.strictObject({
    code: ActionErrorCodeSchema,
    message: z.string().min(1),
    /** True when trying again later may succeed (Flink unreachable); false when it cannot (jar missing). */
    retryable: z.boolean(),
  }),
});

/** v1 -> v2: a bare message becomes an unclassified, non-retryable error, so nothing is retried blindly. */
export function upcastActionFailedV1(v1: z.output<typeof ActionFailedV1>): z.input<typeof ActionFailedV2> {
  return {
    actionId: v1.actionId,
    kind: v1.kind,
    error: { code: 'FJC_ACTION_UNCLASSIFIED', message: v1.error, retryable: false },
  };
}
