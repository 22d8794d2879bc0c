// A job template: a named, versioned partial job spec with typed parameters, which job specs
// use with `template: NAME@VERSION` and `params`. A template may extend another (pinned by
// version). Each applied template version is immutable and recorded in the event log
// (TemplateVersionRecorded on the stream `template-<name>`). Rendering is in render-template.ts.
import { z } from 'zod';

export const PARAMETER_TYPES = ['string', 'integer', 'number', 'boolean', 'list', 'map'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** A parameter name, as written after `params.` in a placeholder. */
export const PARAMETER_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** A template's name: like a job id, but at most 54 characters, so its stream `template-<name>` is one too. */
export const TEMPLATE_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,53}$/;
export const TemplateNameSchema = z.string().regex(TEMPLATE_NAME_PATTERN, 'must be 1-54 lowercase letters, digits or "-", starting with a letter or digit');

/** NAME@VERSION, e.g. stream-base@3. */
export const TEMPLATE_REF_PATTERN = /^([a-z0-9][a-z0-9-]{0,53})@([1-9][0-9]{0,8})$/;

export const TemplateRefTextSchema = z.string().regex(TEMPLATE_REF_PATTERN, 'must be NAME@VERSION, e.g. stream-base@2');

export const TemplateParameterSchema = z.strictObject({
  type: z.enum(PARAMETER_TYPES),
  description: z.string().max(1000).optional(),
  /** Used when a job gives no value; must itself satisfy the constraints below. */
  default: z.unknown().optional(),
  /** A job must give a value (a parameter with a default never needs one). */
  required: z.boolean().default(false),
  /** The only values allowed (string, integer, number). */
  enum: z.array(z.union([z.string(), z.number()])).min(1).optional(),
  /** A regular expression a string value must match (whole value: anchor it yourself). */
  pattern: z.string().min(1).max(1000).optional(),
  /** Bounds of a number or integer, inclusive. */
  min: z.number().optional(),
  max: z.number().optional(),
});
export type TemplateParameter = z.infer<typeof TemplateParameterSchema>;

export const JobTemplateSchema = z.strictObject({
  name: TemplateNameSchema,
  description: z.string().max(2000).optional(),
  /** The parent template, pinned: NAME@VERSION. */
  extends: TemplateRefTextSchema.optional(),
  parameters: z.record(z.string().regex(PARAMETER_NAME_PATTERN, 'must be a lowercase name: letters, digits, _'), TemplateParameterSchema).default({}),
  /** A partial job spec; any string may hold ${params.NAME} placeholders. A string that is only
   *  one placeholder becomes the parameter's typed value, or its text where the spec's field takes
   *  text but not that type (render-template.ts). */
  spec: z.record(z.string(), z.unknown()).default({}),
});
export type JobTemplate = z.infer<typeof JobTemplateSchema>;

/** What a spec that uses a template records (SpecUpdated.template), so its spec can be rendered again with another version. */
export const TemplateUseSchema = z.strictObject({
  name: TemplateNameSchema,
  version: z.int().min(1),
  params: z.record(z.string(), z.unknown()),
  /** The job's own fields, merged over the rendered template (job_id, namespace, overrides). */
  fields: z.record(z.string(), z.unknown()),
});
export type TemplateUse = z.infer<typeof TemplateUseSchema>;

export function parseTemplateRef(text: string): { name: string; version: number } | null {
  const m = TEMPLATE_REF_PATTERN.exec(text);
  return m ? { name: m[1], version: Number(m[2]) } : null;
}

/** Job ids a new job may not take: a template's events carry `template-<name>` as their stream and jobId. */
export const RESERVED_JOB_ID_PREFIX = 'template-';

export function templateStreamId(name: string): string {
  return `${RESERVED_JOB_ID_PREFIX}${name}`;
}
