// The answer of POST /api/v1/jobs/{jobId}/plan: what applying a spec would do, before anything
// changes. Read by the spec-service (which makes it), the CLI (`fjc plan`) and the console.
import { z } from 'zod';
import { FIELD_CHANGES } from '../effects/field-effects';
import { FlinkJobIdSchema, JobIdSchema, SpecVersionSchema } from '../messages/common';
import { LifecycleStateSchema } from '../messages/lifecycle-events';

/** How the new spec differs from what runs: the reconciler's classes (classifySpecChange), a
 *  job FJC does not run yet, or a change of the desired state (suspend, resume). */
export const PLAN_CHANGE_CLASSES = ['new-job', 'none', 'metadata-only', 'rescale', 'redeploy', 'suspend', 'resume'] as const;
export const PlanChangeClassSchema = z.enum(PLAN_CHANGE_CLASSES);
export type PlanChangeClass = z.infer<typeof PlanChangeClassSchema>;

export const PLAN_STEP_KINDS = ['keep', 'stop-with-savepoint', 'cancel', 'start', 'wait', 'schedule', 'nothing'] as const;

/** One thing FJC will do, in order; `text` says it in words. */
export const PlanStepSchema = z.object({
  kind: z.enum(PLAN_STEP_KINDS),
  text: z.string().min(1),
  /** The Flink job acted on (keep, stop, cancel). */
  flinkJobId: FlinkJobIdSchema.optional(),
  /** The spec version a started job runs. */
  version: SpecVersionSchema.optional(),
  parallelism: z.int().min(1).optional(),
  /** Where a started job's state comes from. */
  restoreFrom: z.enum(['stop-savepoint', 'retained-checkpoint', 'newest-savepoint', 'empty']).optional(),
});
export type PlanStep = z.infer<typeof PlanStepSchema>;

/** One changed field of the spec against the deployed (or, with none, the current) version. */
export const PlanFieldChangeSchema = z.object({
  path: z.string(),
  /** null: unset. */
  old: z.unknown(),
  new: z.unknown(),
  /** What a change of this field needs (field-effects table). */
  effect: z.enum(FIELD_CHANGES),
});
export type PlanFieldChange = z.infer<typeof PlanFieldChangeSchema>;

/** The target cluster's slots as the deployer last saw them (GET /overview), against what the plan needs. */
export const PlanSlotsSchema = z.object({
  cluster: z.string(),
  /** Slots the new Flink job takes (its parallelism); 0 when nothing starts. */
  needed: z.int().min(0),
  /** Slots the plan frees before it starts anything (the job it stops or cancels). */
  released: z.int().min(0),
  /** null: the deployer has not observed the cluster (or it did not answer): unknown. */
  free: z.int().min(0).nullable(),
  total: z.int().min(0).nullable(),
  taskManagers: z.int().min(0).nullable(),
  flinkVersion: z.string().nullable(),
  /** When the deployer last read the cluster's overview, and how long before the plan. */
  observedAt: z.iso.datetime().nullable(),
  ageSeconds: z.number().min(0).nullable(),
  /** free + released >= needed; null when free is unknown. */
  enough: z.boolean().nullable(),
  note: z.string(),
});
export type PlanSlots = z.infer<typeof PlanSlotsSchema>;

const JarSideSchema = z.object({
  path: z.string(),
  /** SHA-256 (hex) of the jar: recorded by the deployer when it uploaded it, or declared by artifact_signature; null: not known before upload. */
  sha256: z.string().nullable(),
  sha256Source: z.enum(['recorded', 'declared']).nullable(),
});

export const PlanJarSchema = z.object({
  /** The path or the known digest differs. */
  changed: z.boolean(),
  /** The jar of the version that runs; null when none runs. */
  from: JarSideSchema.nullable(),
  to: JarSideSchema,
  note: z.string(),
});
export type PlanJar = z.infer<typeof PlanJarSchema>;

/** What runs now, as FJC's status read model has it; null for a job FJC never ran. */
export const PlanCurrentJobSchema = z.object({
  state: LifecycleStateSchema,
  flinkJobId: FlinkJobIdSchema.nullable(),
  deployedVersion: SpecVersionSchema.nullable(),
  lastStableVersion: SpecVersionSchema.nullable(),
  failedVersion: SpecVersionSchema.nullable(),
  candidate: z.boolean(),
});

export const PlanWarningSchema = z.object({
  path: z.string(),
  message: z.string().min(1),
  /** The spec's own warnings (as apply returns them) and the plan's (FJC_PLAN_*). */
  code: z.string(),
  line: z.int().optional(),
  column: z.int().optional(),
});
export type PlanWarning = z.infer<typeof PlanWarningSchema>;

export const PLAN_WARNING_CODES = [
  'FJC_PLAN_NOT_ENOUGH_SLOTS',
  'FJC_PLAN_SLOTS_UNKNOWN',
  'FJC_PLAN_STATE_DROPPED',
  'FJC_PLAN_WAITS_FOR_RUNNING',
  'FJC_PLAN_FAILED_VERSION',
  'FJC_PLAN_CANDIDATE_REPLACED',
  'FJC_PLAN_NEEDS_ATTENTION',
  'FJC_PLAN_UPGRADE_IN_FLIGHT',
] as const;
export type PlanWarningCode = (typeof PLAN_WARNING_CODES)[number];

export const PlanResponseSchema = z.object({
  jobId: JobIdSchema,
  changeClass: PlanChangeClassSchema,
  /** Applying the spec would append a new version (false: it equals the current one). */
  changed: z.boolean(),
  /** The version applying would make, or the current one when unchanged. */
  version: SpecVersionSchema,
  currentVersion: SpecVersionSchema.nullable(),
  /** The version the diff and the class compare with: the deployed one, else the current one. */
  comparedWith: z.object({ version: SpecVersionSchema, as: z.enum(['deployed', 'current']) }).nullable(),
  jobType: z.enum(['stream', 'batch']),
  /** One line: what happens. */
  summary: z.string(),
  steps: z.array(PlanStepSchema),
  job: PlanCurrentJobSchema.nullable(),
  slots: PlanSlotsSchema,
  jar: PlanJarSchema,
  diff: z.array(PlanFieldChangeSchema),
  warnings: z.array(PlanWarningSchema),
  plannedAt: z.iso.datetime(),
});
export type PlanResponse = z.infer<typeof PlanResponseSchema>;
