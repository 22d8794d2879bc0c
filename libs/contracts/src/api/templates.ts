// Answers of the template routes (/api/v1/templates): read by the spec-service (which makes
// them) and the CLI (`fjc template ...`).
import { z } from 'zod';
import { ActorSchema, JobIdSchema, SpecVersionSchema } from '../messages/common';
import { SpecErrorSchema } from '../spec/spec-error';
import { JobTemplateSchema } from '../templates/job-template';
import { PlanResponseSchema } from './plan';

export const TemplateVersionViewSchema = z.object({
  name: z.string(),
  version: SpecVersionSchema,
  templateHash: z.string(),
  template: JobTemplateSchema,
  recordedAt: z.iso.datetime(),
  actor: ActorSchema,
});
export type TemplateVersionView = z.infer<typeof TemplateVersionViewSchema>;

export const TemplateSummarySchema = z.object({
  name: z.string(),
  latestVersion: SpecVersionSchema,
  description: z.string().nullable(),
  extends: z.string().nullable(),
  recordedAt: z.iso.datetime(),
  /** Jobs whose current spec is rendered from some version of this template. */
  jobs: z.int().min(0),
});
export const TemplateListSchema = z.object({ templates: z.array(TemplateSummarySchema) });
export type TemplateList = z.infer<typeof TemplateListSchema>;

export const TemplateApplyResponseSchema = z.object({ name: z.string(), version: SpecVersionSchema, changed: z.boolean() });
export type TemplateApplyResponse = z.infer<typeof TemplateApplyResponseSchema>;

/** Body of POST /api/v1/templates/{name}/plan and /rollout. */
export const TemplateRolloutRequestSchema = z.strictObject({
  toVersion: SpecVersionSchema,
  /** Only these jobs (each must use the template); all that use it when absent. */
  jobs: z.array(JobIdSchema).min(1).optional(),
});
export type TemplateRolloutRequest = z.infer<typeof TemplateRolloutRequestSchema>;

const JobOfTemplateFields = {
  jobId: JobIdSchema,
  /** The template version the job's current spec was rendered from. */
  fromVersion: SpecVersionSchema,
  /** The job's current spec version. */
  specVersion: SpecVersionSchema,
};

export const TemplatePlanJobSchema = z.object({
  ...JobOfTemplateFields,
  /** change: a new spec version would be applied; unchanged: the rendered spec equals the current one; invalid: it would be refused. */
  outcome: z.enum(['change', 'unchanged', 'invalid']),
  /** The job's plan, as POST /api/v1/jobs/{jobId}/plan gives it (change and unchanged). */
  plan: PlanResponseSchema.nullable(),
  errors: z.array(SpecErrorSchema.extend({ code: z.string() })),
});
export type TemplatePlanJob = z.infer<typeof TemplatePlanJobSchema>;

export const TemplatePlanResponseSchema = z.object({
  name: z.string(),
  toVersion: SpecVersionSchema,
  jobs: z.array(TemplatePlanJobSchema),
});
export type TemplatePlanResponse = z.infer<typeof TemplatePlanResponseSchema>;

export const TemplateRolloutJobSchema = z.object({
  ...JobOfTemplateFields,
  status: z.enum(['accepted', 'unchanged', 'rejected']),
  /** The spec version the job has now (the new one when accepted). */
  version: SpecVersionSchema.nullable(),
  errors: z.array(SpecErrorSchema.extend({ code: z.string() })),
});
export const TemplateRolloutResponseSchema = z.object({
  name: z.string(),
  toVersion: SpecVersionSchema,
  jobs: z.array(TemplateRolloutJobSchema),
});
export type TemplateRolloutResponse = z.infer<typeof TemplateRolloutResponseSchema>;
