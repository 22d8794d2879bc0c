// Response bodies of the job commands, as zod schemas (types by z.infer, OpenAPI by
// z.toJSONSchema). Query responses are in read-model/views.ts.
import { z } from 'zod';
import { JobIdSchema, SpecVersionSchema, SpecWarningSchema } from '@fjc/contracts';
import { ROLLBACK_WARNING_CODES } from '../use-cases/rollback-job/rollback-warnings';

export const ApplyResponseSchema = z.object({
  jobId: JobIdSchema,
  /** The current version: the new one, or the unchanged one. */
  version: SpecVersionSchema,
  /** false when the spec's canonical hash equals the current version's: nothing was appended. */
  changed: z.boolean(),
  warnings: z.array(SpecWarningSchema),
});
export type ApplyResponse = z.infer<typeof ApplyResponseSchema>;

export const ChangeResponseSchema = z.object({ jobId: JobIdSchema, version: SpecVersionSchema, changed: z.boolean() });
export type ChangeResponse = z.infer<typeof ChangeResponseSchema>;

/** A rollback's answer: warnings (same shape as a spec's) when restoring the older version's state could drop state. */
export const RollbackResponseSchema = ChangeResponseSchema.extend({
  warnings: z.array(z.object({ path: z.string(), message: z.string().min(1), code: z.enum(ROLLBACK_WARNING_CODES) })),
});
export type RollbackResponse = z.infer<typeof RollbackResponseSchema>;

export const SavepointResponseSchema = z.object({ jobId: JobIdSchema, version: SpecVersionSchema, requestId: z.uuid() });
export type SavepointResponse = z.infer<typeof SavepointResponseSchema>;
export const RecoverResponseSchema = z.object({ jobId: JobIdSchema, version: SpecVersionSchema, requestId: z.uuid() });
export type RecoverResponse = z.infer<typeof RecoverResponseSchema>;

export const ErrorBodySchema = z.object({
  errors: z
    .array(
      z.object({
        /** The field ("deployment.parallelism"), header ("If-Match") or "" for the request as a whole. */
        path: z.string(),
        message: z.string(),
        /** A stable FJC_ code. */
        code: z.string(),
        line: z.int().optional(),
        column: z.int().optional(),
      }),
    )
    .min(1),
});
