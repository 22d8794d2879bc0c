// The JSON Schema of a template document, generated from the zod schema like the job spec's
// (libs/contracts/schema/job-template.schema.json, rewritten by `npx nx run contracts:generate`).
import { z } from 'zod';
import { JobTemplateSchema } from './job-template';

export const JOB_TEMPLATE_SCHEMA_FILE = 'libs/contracts/schema/job-template.schema.json';

export function jobTemplateJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(JobTemplateSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
}

/** The committed file's exact text. */
export function jobTemplateJsonSchemaText(): string {
  return `${JSON.stringify(jobTemplateJsonSchema(), null, 2)}\n`;
}
