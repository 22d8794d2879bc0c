// Events of a pipeline run, on its own stream `pipeline-run-<run id>` in the event log. Every
// payload carries the run id, so any one event says which run it belongs to. A run is the fold
// of these events: replay and rebuild recover it like any other stream.
import { z } from 'zod';
import { PipelineSpecSchema } from './pipeline-spec';

const RunId = z.string().min(1).max(64);
const Stage = z.string().min(1).max(20);
const Utc = z.iso.datetime();

/** A pipeline version accepted (stream `pipeline-<pipeline_id>`): the spec as parsed. */
export const PipelineAppliedV1 = z.strictObject({
  pipelineId: z.string().min(1),
  version: z.int().min(1),
  spec: PipelineSpecSchema,
});

export const PIPELINE_RUN_TRIGGERS = ['schedule', 'manual'] as const;

export const PipelineRunStartedV1 = z.strictObject({
  runId: RunId,
  pipelineId: z.string().min(1),
  /** The pipeline's spec version the run follows to its end. */
  pipelineVersion: z.int().min(1),
  trigger: z.enum(PIPELINE_RUN_TRIGGERS),
  /** The cron time for scheduled runs, the request time for manual ones: ${run.scheduled_time}. */
  scheduledTime: Utc,
});

export const StageRunRequestedV1 = z.strictObject({
  runId: RunId,
  stage: Stage,
  attempt: z.int().min(1),
  /** The stage's job and the spec version this attempt applied (its labels name this run). */
  jobId: z.string().min(1),
  /** Arguments exactly as the job got them, references filled in. */
  args: z.array(z.string()),
  /** The stage's declared outputs, filled in: what downstream references resolve to. */
  outputs: z.record(z.string(), z.string()),
});

export const StageRunFinishedV1 = z.strictObject({
  runId: RunId,
  stage: Stage,
  attempt: z.int().min(1),
  flinkJobId: z.string().nullable(),
});

export const StageRunFailedV1 = z.strictObject({
  runId: RunId,
  stage: Stage,
  attempt: z.int().min(1),
  reason: z.string(),
  /** When the next attempt starts; null: no retry left, the failure policy decides. */
  retryAt: Utc.nullable(),
});

export const StageSkippedV1 = z.strictObject({ runId: RunId, stage: Stage, reason: z.string() });

export const PIPELINE_RUN_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED'] as const;

export const PipelineRunEndedV1 = z.strictObject({
  runId: RunId,
  status: z.enum(['SUCCEEDED', 'FAILED']),
  reason: z.string(),
});

export const PipelineRunRetryRequestedV1 = z.strictObject({
  runId: RunId,
  fromStage: Stage,
  /** The pipeline version the run follows from here on: the current one, so a fixed pipeline can finish a failed run. */
  pipelineVersion: z.int().min(1),
  /** Stages run again: fromStage, what is downstream of it, and any that had not finished. */
  stages: z.array(Stage),
});

export const PIPELINE_RUN_EVENT_SCHEMAS = {
  PipelineRunStarted: PipelineRunStartedV1,
  StageRunRequested: StageRunRequestedV1,
  StageRunFinished: StageRunFinishedV1,
  StageRunFailed: StageRunFailedV1,
  StageSkipped: StageSkippedV1,
  PipelineRunEnded: PipelineRunEndedV1,
  PipelineRunRetryRequested: PipelineRunRetryRequestedV1,
} as const;

export type PipelineRunEventType = keyof typeof PIPELINE_RUN_EVENT_SCHEMAS;
export type PipelineRunEvent = { [K in PipelineRunEventType]: { readonly type: K; readonly payload: z.infer<(typeof PIPELINE_RUN_EVENT_SCHEMAS)[K]> } }[PipelineRunEventType];
