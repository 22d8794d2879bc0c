// validateSpec: the one entry point for "is this a valid spec?". Returns every error at once
// (not just the first) or the parsed spec with its warnings; never throws for bad input.
import { combinationWarnings } from '../effects/combination-warnings';
import { flinkSubmission } from '../effects/flink-submission';
import { describeValue } from './describe-value';
import { toFieldErrors } from './field-errors';
import type { PathSegment } from './field-path';
import { fieldIssueMessage } from './issue-messages';
import { JOB_TYPES, JobSpecSchema, type JobSpec } from './job-spec';
import { isRecord } from './schema-walk';
import type { SpecError, SpecWarning } from './spec-error';
import { DEFAULT_SPEC_LIMITS, valueLimitErrors, type SpecLimits } from './spec-limits';
import { didYouMean } from './suggestions';

export type SpecValidation =
  | { readonly ok: true; readonly spec: JobSpec; readonly warnings: SpecWarning[] }
  | { readonly ok: false; readonly errors: SpecError[] };

const VARIANT_SECTIONS: Readonly<Record<string, (typeof JOB_TYPES)[number]>> = {
  batch_config: 'batch',
  stream_config: 'stream',
};

export function validateSpec(input: unknown, limits: SpecLimits = DEFAULT_SPEC_LIMITS): SpecValidation {
  const tooBig = valueLimitErrors(input, limits);
  if (tooBig.length > 0) return { ok: false, errors: tooBig };
  const parsed = JobSpecSchema.safeParse(input, { error: fieldIssueMessage, reportInput: true });
  if (parsed.success) return { ok: true, spec: parsed.data, warnings: specWarnings(parsed.data, input) };

  const jobTypeUnknown = parsed.error.issues.some((issue) => issue.code === 'invalid_union' && issue.path.join('.') === 'job_type');
  if (jobTypeUnknown && isRecord(input)) return { ok: false, errors: withoutJobType(input) };
  return { ok: false, errors: errorsOf(parsed.error.issues, input) };
}

/** Every warning for a valid spec: fields a session cluster cannot honour, fields made moot by others. */
export function specWarnings(spec: JobSpec, written: unknown): SpecWarning[] {
  return [...flinkSubmission(spec).warnings, ...combinationWarnings(spec, written)];
}

function errorsOf(issues: Parameters<typeof toFieldErrors>[0], input: unknown): SpecError[] {
  return toFieldErrors(issues, { schema: JobSpecSchema, input, notAllowedHere: sectionOfOtherVariant(input) }).map((error) =>
    error.code === 'FJC_SPEC_NOT_A_MAPPING'
      ? { ...error, message: `a job spec must be a mapping of fields such as job_id, job_type and artifact_path, got ${describeValue(input)}` }
      : error,
  );
}

function sectionOfOtherVariant(input: unknown) {
  return (parent: readonly PathSegment[], key: string): string | undefined => {
    const owner = VARIANT_SECTIONS[key];
    if (parent.length > 0 || owner === undefined) return undefined;
    const jobType = isRecord(input) ? describeValue(input.job_type) : 'missing';
    return `is only allowed when job_type is "${owner}" (this job's job_type is ${jobType})`;
  };
}

/**
 * With job_type missing or misspelt the schema cannot pick a variant, so report that, then
 * check everything else against the variant the spec looks like (by its batch_config or
 * stream_config section), so the person sees all their mistakes in one go.
 */
function withoutJobType(input: Record<string, unknown>): SpecError[] {
  const given = input.job_type;
  const jobTypeError: SpecError =
    given === undefined
      ? { path: 'job_type', code: 'FJC_SPEC_REQUIRED', message: 'is required: "stream" or "batch"' }
      : {
          path: 'job_type',
          code: 'FJC_SPEC_INVALID_VALUE',
          message: `must be "stream" or "batch", got ${describeValue(given)}${typeof given === 'string' ? didYouMean(given, JOB_TYPES) : ''}`,
        };
  const likely = 'batch_config' in input ? 'batch' : 'stream';
  const rest = JobSpecSchema.safeParse({ ...input, job_type: likely }, { error: fieldIssueMessage, reportInput: true });
  const others = rest.success ? [] : errorsOf(rest.error.issues, input).filter((e) => e.path !== 'job_type');
  return [jobTypeError, ...others];
}
