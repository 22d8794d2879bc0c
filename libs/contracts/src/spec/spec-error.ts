// Errors and warnings about a job spec, as values with stable codes. `path` names the field
// the way a person writes it ("deployment.parallelism", "args[2]"); line and column are filled
// in when the spec came from a file, so an editor can jump there.
import { z } from 'zod';

export const SPEC_ERROR_CODES = [
  'FJC_SPEC_EMPTY_DOCUMENT',
  'FJC_SPEC_SYNTAX_ERROR',
  'FJC_SPEC_MULTIPLE_DOCUMENTS',
  'FJC_SPEC_NOT_A_MAPPING',
  'FJC_SPEC_REQUIRED',
  'FJC_SPEC_INVALID_TYPE',
  'FJC_SPEC_INVALID_VALUE',
  'FJC_SPEC_INVALID_FORMAT',
  'FJC_SPEC_OUT_OF_RANGE',
  'FJC_SPEC_UNKNOWN_FIELD',
  'FJC_SPEC_FIELD_NOT_ALLOWED',
  'FJC_SPEC_INVALID_DURATION',
  'FJC_SPEC_INVALID_SIZE',
  'FJC_SPEC_INVALID_CRON',
  'FJC_SPEC_INVALID_TIMEZONE',
  'FJC_SPEC_INVALID_ARTIFACT_PATH',
  /** The namespace's artifact policy (FJC_ARTIFACT_POLICY_FILE) requires a digest or signature the spec lacks. */
  'FJC_SPEC_SIGNATURE_REQUIRED',
  /** A literal value under a secret-looking name (env_vars, args): use {secretRef: ...}. */
  'FJC_SPEC_LITERAL_SECRET',
  /** A {secretRef} names a secret outside the spec's namespace ("<namespace>/...") and the prefixes the operators' policy grants it. */
  'FJC_SECRET_OUT_OF_NAMESPACE',
  /** The namespace's artifact policy requires verification and the spec turns it off. */
  'FJC_SPEC_VERIFICATION_REQUIRED',
  /** Size limits (spec-limits.ts): the document, its YAML alias expansion, the spec, its nesting. */
  'FJC_SPEC_DOCUMENT_TOO_LARGE',
  'FJC_SPEC_ALIAS_EXPANSION_TOO_LARGE',
  'FJC_SPEC_TOO_LARGE',
  'FJC_SPEC_TOO_DEEP',
  /** Templates (templates/): a NAME@VERSION that is not recorded, a template that is not valid, its parameters. */
  'FJC_TEMPLATE_NOT_FOUND',
  'FJC_TEMPLATE_INVALID',
  'FJC_TEMPLATE_PARAM_REQUIRED',
  'FJC_TEMPLATE_PARAM_UNKNOWN',
  'FJC_TEMPLATE_PARAM_INVALID',
] as const;
export const SpecErrorCodeSchema = z.enum(SPEC_ERROR_CODES);
export type SpecErrorCode = z.infer<typeof SpecErrorCodeSchema>;

export const SPEC_WARNING_CODES = [
  /** The field is a cluster-wide setting; a session cluster cannot take it from one job. */
  'FJC_SPEC_CLUSTER_LEVEL',
  /** Flink applies the field to part of the job only (for example only where main() runs). */
  'FJC_SPEC_PARTIAL_EFFECT',
  /** The value asks for something a session cluster cannot do. */
  'FJC_SPEC_UNSUPPORTED_VALUE',
  /** Other fields of the same spec make this one irrelevant. */
  'FJC_SPEC_NO_EFFECT',
  /** The jar will be deployed without checking its signature. */
  'FJC_SPEC_ARTIFACT_UNVERIFIED',
] as const;
export const SpecWarningCodeSchema = z.enum(SPEC_WARNING_CODES);
export type SpecWarningCode = z.infer<typeof SpecWarningCodeSchema>;

const location = {
  line: z.int().min(1).optional(),
  column: z.int().min(1).optional(),
};

export const SpecErrorSchema = z.object({
  path: z.string(),
  message: z.string().min(1),
  code: SpecErrorCodeSchema,
  ...location,
});
export type SpecError = z.infer<typeof SpecErrorSchema>;

export const SpecWarningSchema = z.object({
  path: z.string(),
  message: z.string().min(1),
  code: SpecWarningCodeSchema,
  ...location,
});
export type SpecWarning = z.infer<typeof SpecWarningSchema>;
