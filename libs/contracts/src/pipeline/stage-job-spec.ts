// The batch (or stream) job spec a stage's run is carried out with: the stage's job fields,
// its arguments filled in for this run, and labels tying the job's versions to the pipeline,
// run, stage and attempt. Each attempt is a new spec version (its labels differ), and an
// unscheduled batch job runs once per applied version: so a stage's Flink run goes through the
// same reconciler, deployer and observation path as any batch job's run.
import type { PipelineSpec, PipelineStage } from './pipeline-spec';
import { stageJobId } from './pipeline-spec';
import { interpolate, type ReferenceValues } from './references';

export const PIPELINE_LABELS = {
  pipeline: 'fjc.dev/pipeline',
  run: 'fjc.dev/pipeline-run',
  stage: 'fjc.dev/pipeline-stage',
  attempt: 'fjc.dev/pipeline-attempt',
} as const;

export interface StageRunInput {
  readonly runId: string;
  readonly attempt: number;
  /** The stage's args with their references filled in (see interpolate). */
  readonly args: readonly string[];
}

/** The stage's declared outputs, filled in for this run. */
export function stageOutputs(stage: PipelineStage, values: ReferenceValues): Record<string, string> {
  return Object.fromEntries(Object.entries(stage.outputs).map(([name, value]) => [name, interpolate(value, values)]));
}

/** The job spec (as written, before validateSpec) that runs this attempt of the stage. */
export function stageJobSpec(pipeline: PipelineSpec, stage: PipelineStage, input: StageRunInput): Record<string, unknown> {
  const { job } = stage;
  return {
    job_id: stageJobId(pipeline.pipeline_id, stage.name),
    namespace: pipeline.namespace,
    job_type: stage.type,
    cluster: job.cluster,
    artifact_path: job.artifact_path,
    ...(job.artifact_signature === undefined ? {} : { artifact_signature: job.artifact_signature }),
    ...(job.entry_class === undefined ? {} : { entry_class: job.entry_class }),
    deployment: { parallelism: job.parallelism, upgrade_mode: 'stateless' },
    args: [...input.args],
    labels: {
      [PIPELINE_LABELS.pipeline]: pipeline.pipeline_id,
      [PIPELINE_LABELS.run]: input.runId,
      [PIPELINE_LABELS.stage]: stage.name,
      [PIPELINE_LABELS.attempt]: String(input.attempt),
    },
  };
}
