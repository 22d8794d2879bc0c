// Response bodies of the job commands and the error body, as zod schemas written once for the
// spec-service, the CLI and the console. Query responses are in jobs.ts.
import { z } from 'zod';
import { JobIdSchema, SpecVersionSchema } from '../messages/common';
import { SpecWarningSchema } from '../spec/spec-error';

export const ROLLBACK_WARNING_CODES = [
  /** N's spec lets a restore skip state no operator claims: that state is dropped silently. */
  'FJC_ROLLBACK_NON_RESTORED_STATE',
  /** The state carried over comes from a job whose derived max parallelism differs from N's: keyed state cannot be restored. */
  'FJC_ROLLBACK_MAX_PARALLELISM_CHANGED',
  /** No savepoint of N is recorded: the running job's state is carried over as in an upgrade. */
  'FJC_ROLLBACK_NO_SAVEPOINT',
  /** The rollback is recorded, but reading what it could drop failed (the service logged why). */
  'FJC_ROLLBACK_WARNINGS_UNAVAILABLE',
] as const;
export type RollbackWarningCode = (typeof ROLLBACK_WARNING_CODES)[number];

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

export const ApiErrorSchema = z.object({
  /** The field ("deployment.parallelism"), header ("If-Match") or "" for the request as a whole. */
  path: z.string(),
  message: z.string(),
  /** A stable FJC_ code. */
  code: z.string(),
  line: z.int().optional(),
  column: z.int().optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export const ErrorBodySchema = z.object({ errors: z.array(ApiErrorSchema).min(1) });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
