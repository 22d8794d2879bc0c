// HTTP responses of the pipeline routes (spec-service), read by the CLI and the tests.
import { z } from 'zod';
import { PipelineSpecSchema } from '../pipeline/pipeline-spec';
import { PIPELINE_RUN_STATUSES, PIPELINE_RUN_TRIGGERS } from '../pipeline/run-events';

export const PipelineApplyResponseSchema = z.object({
  pipelineId: z.string(),
  version: z.int().min(1),
  changed: z.boolean(),
});
export type PipelineApplyResponse = z.infer<typeof PipelineApplyResponseSchema>;

export const PipelineViewSchema = z.object({
  pipelineId: z.string(),
  version: z.int().min(1),
  spec: PipelineSpecSchema,
  nextRunAt: z.string().nullable(),
});
export type PipelineView = z.infer<typeof PipelineViewSchema>;

export const STAGE_RUN_STATUSES = ['pending', 'running', 'waiting_retry', 'finished', 'failed', 'skipped'] as const;

export const StageRunViewSchema = z.object({
  stage: z.string(),
  status: z.enum(STAGE_RUN_STATUSES),
  attempt: z.int().min(0),
  jobId: z.string(),
  args: z.array(z.string()).nullable(),
  outputs: z.record(z.string(), z.string()).nullable(),
  retryAt: z.string().nullable(),
  reason: z.string().nullable(),
});

export const PipelineRunViewSchema = z.object({
  runId: z.string(),
  pipelineId: z.string(),
  pipelineVersion: z.int().min(1),
  trigger: z.enum(PIPELINE_RUN_TRIGGERS),
  scheduledTime: z.string(),
  status: z.enum(PIPELINE_RUN_STATUSES),
  reason: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  stages: z.array(StageRunViewSchema),
});
export type PipelineRunView = z.infer<typeof PipelineRunViewSchema>;

export const PipelineRunListSchema = z.object({ runs: z.array(PipelineRunViewSchema) });
export type PipelineRunList = z.infer<typeof PipelineRunListSchema>;

export const RetryRunRequestSchema = z.strictObject({ from_stage: z.string().min(1) });
