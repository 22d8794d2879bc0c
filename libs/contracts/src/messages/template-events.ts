// Events of a template's stream (`template-<name>` in the log), written by the spec-service.
// They stay in the log (no topic): only the spec-service reads templates, and the specs it
// renders from them travel as ordinary SpecUpdated events.
import { z } from 'zod';
import { JobTemplateSchema } from '../templates/job-template';
import { SpecVersionSchema } from './common';

/** A new, immutable version of a template (its content differs from the previous one). */
export const TemplateVersionRecordedV1 = z.strictObject({
  name: JobTemplateSchema.shape.name,
  version: SpecVersionSchema,
  templateHash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be "sha256:" and 64 hex digits'),
  template: JobTemplateSchema,
});
