// The JSON Schema of the job spec, generated from the zod schema (input side: what a person
// may write, defaults included). Committed at libs/contracts/schema/job-spec.schema.json for
// editors and upstream producers; cross-field rules (signature required, batch_config only on
// batch jobs) are enforced by validateSpec, partly beyond what JSON Schema says.
import { z } from 'zod';
import { JobSpecSchema } from './job-spec';

export const JOB_SPEC_SCHEMA_FILE = 'libs/contracts/schema/job-spec.schema.json';

export function jobSpecJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(JobSpecSchema, { io: 'input', target: 'draft-2020-12' });
}

/** The committed file's exact text. */
export function jobSpecJsonSchemaText(): string {
  return `${JSON.stringify(jobSpecJsonSchema(), null, 2)}\n`;
}
