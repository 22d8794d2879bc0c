// The pipeline spec: stages (batch jobs, or a stream job at the end of a branch) joined by
// depends_on into a graph, each with its retries, declared outputs and program arguments that
// may reference those outputs; a failure policy and an optional cron schedule for the whole
// pipeline. Like the job spec, unknown fields are errors at every depth and parsing applies
// defaults. Cross-stage rules (cycles, unknown references) are checked by validatePipeline.
import { z } from 'zod';
import {
  ArtifactPathSchema,
  ArtifactSignatureSchema,
  CronSchema,
  JavaClassNameSchema,
  JobIdSchema,
  LabelKeySchema,
  LabelValueSchema,
  ResourceNameSchema,
  TimeZoneSchema,
  durationSchema,
  patternText,
} from '../spec/field-types';
import { MAX_PARALLELISM } from '../spec/job-spec';

const SECOND = 1000;
const HOUR = 3600 * SECOND;

export const STAGE_TYPES = ['batch', 'stream'] as const;
export const FAILURE_POLICIES = ['stop', 'continue', 'compensate'] as const;
/** replace is not offered: cancelling a whole graph mid-run is not a pipeline's decision to make on a timer. */
export const PIPELINE_CONCURRENCY_POLICIES = ['allow', 'forbid'] as const;

/** A stage's name: it is part of its job's id (`<pipeline_id>-<stage>`), so short and lowercase. */
export const STAGE_NAME_PATTERN = /^[a-z][a-z0-9_]{0,19}$/;
export const StageNameSchema = patternText(
  STAGE_NAME_PATTERN,
  'FJC_SPEC_INVALID_FORMAT',
  'must be 1 to 20 lowercase letters, digits or "_", starting with a letter',
);
/** The pipeline's id leaves room for "-<stage>" within a job id's 63 characters. */
export const PIPELINE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,41}$/;
export const PipelineIdSchema = patternText(
  PIPELINE_ID_PATTERN,
  'FJC_SPEC_INVALID_FORMAT',
  'must be 1 to 42 lowercase letters, digits or "-", starting with a letter or digit',
);
export const OUTPUT_NAME_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
const OutputNameSchema = patternText(OUTPUT_NAME_PATTERN, 'FJC_SPEC_INVALID_FORMAT', 'must be a lowercase name of letters, digits or "_"');

export const StageRetriesSchema = z
  .strictObject({
    max_retries: z.int().min(0).max(20).default(0).meta({ description: 'Runs after the first one failed, at most.' }),
    backoff: durationSchema({ min: 0, max: HOUR }).prefault('10s').meta({ description: 'Wait before the first retry; doubled before each further one.' }),
    max_backoff: durationSchema({ min: 0, max: 24 * HOUR }).prefault('5m').meta({ description: 'Longest wait between two runs of the stage.' }),
  })
  .meta({ description: 'Per-stage retries with exponential back-off.' });

export const StageJobSchema = z
  .strictObject({
    cluster: ResourceNameSchema.prefault('default').meta({ description: 'Named Flink session cluster the stage runs on.' }),
    artifact_path: ArtifactPathSchema.meta({ description: 'The stage\'s jar, as a job spec\'s artifact_path.' }),
    artifact_signature: ArtifactSignatureSchema.optional().meta({ description: 'As a job spec\'s artifact_signature.' }),
    entry_class: JavaClassNameSchema.optional().meta({ description: 'Main class; optional when the jar\'s manifest names one.' }),
    parallelism: z.int().min(1).max(MAX_PARALLELISM).default(1).meta({ description: 'Task slots the stage\'s job takes.' }),
    args: z
      .array(z.string().max(4096))
      .max(1000)
      .prefault([])
      .meta({ description: 'Program arguments; may reference ${run.id}, ${run.scheduled_time} and ${stages.<stage>.outputs.<name>} of a stage it depends on.' }),
  })
  .meta({ description: 'The Flink job the stage runs (a batch job spec is made from it for each run).' });

export const StageSchema = z
  .strictObject({
    name: StageNameSchema.meta({ description: 'Name of the stage, unique in the pipeline.' }),
    type: z.enum(STAGE_TYPES).default('batch').meta({ description: 'batch (runs to completion) or stream (started once its dependencies finished; nothing may depend on it).' }),
    depends_on: z.array(StageNameSchema).max(100).prefault([]).meta({ description: 'Stages that must have finished before this one starts.' }),
    job: StageJobSchema,
    outputs: z
      .record(OutputNameSchema, z.string().max(4096))
      .prefault({})
      .meta({ description: 'Values the stage declares for downstream stages (a path it writes...); may reference ${run.*} and outputs of stages it depends on.' }),
    retries: StageRetriesSchema.prefault({}),
  })
  .meta({ description: 'One step of the pipeline.' });

export const FailurePolicySchema = z
  .strictObject({
    on_failure: z
      .enum(FAILURE_POLICIES)
      .default('stop')
      .meta({ description: 'When a stage failed for good: stop (start nothing more), continue (run every stage not downstream of it), or compensate (stop, then run compensation_stage).' }),
    compensation_stage: StageNameSchema.optional().meta({ description: 'With compensate: the stage to run; it runs only then, so it has no depends_on and nothing depends on it.' }),
  })
  .meta({ description: 'What a run does when a stage failed after its retries.' });

export const PipelineScheduleSchema = z
  .strictObject({
    cron: CronSchema.meta({ description: 'When runs start: 5 fields, or 6 with leading seconds, or @hourly/@daily/...' }),
    timezone: TimeZoneSchema.prefault('UTC').meta({ description: 'IANA time zone the cron schedule is read in.' }),
    concurrency_policy: z
      .enum(PIPELINE_CONCURRENCY_POLICIES)
      .default('forbid')
      .meta({ description: 'A scheduled run while an earlier run is still going: run too (allow) or skip this time (forbid).' }),
  })
  .meta({ description: 'Runs on a cron schedule; without it, runs start on request only.' });

export const PipelineSpecSchema = z
  .strictObject({
    pipeline_id: PipelineIdSchema.meta({ description: 'Name of the pipeline, unique in FJC.' }),
    namespace: ResourceNameSchema.prefault('default').meta({ description: 'RBAC scope the pipeline and its stages\' jobs belong to.' }),
    stages: z.array(StageSchema).min(1).max(100).meta({ description: 'The stages; order does not matter, depends_on does.' }),
    failure_policy: FailurePolicySchema.prefault({}),
    schedule: PipelineScheduleSchema.optional(),
    labels: z.record(LabelKeySchema, LabelValueSchema).prefault({}).meta({ description: 'Free-form metadata; never sent to Flink.' }),
  })
  .meta({
    title: 'FJC pipeline spec',
    description: 'A graph of Flink jobs run in order. Unknown fields are errors. Durations: "500ms", "30s", "5m" or whole milliseconds.',
  });

export type PipelineSpec = z.infer<typeof PipelineSpecSchema>;
export type PipelineStage = PipelineSpec['stages'][number];

/** The job id of a stage's batch job spec. */
export function stageJobId(pipelineId: string, stage: string): string {
  const id = `${pipelineId}-${stage.replaceAll('_', '-')}`;
  if (!JobIdSchema.safeParse(id).success) throw new Error(`stage job id ${id} is not a valid job id`);
  return id;
}
