// Turning zod issues into SpecErrors: one error per problem, each with the path of the field,
// a stable code and a message. Unknown fields get "did you mean" from the fields allowed at
// that place, or the section they belong to when they were written at the wrong level.
import type { z } from 'zod';
import { formatFieldPath, type PathSegment } from './field-path';
import { allowedKeysAt, leafFields } from './schema-walk';
import { SpecErrorCodeSchema, type SpecError, type SpecErrorCode } from './spec-error';
import { closestMatch } from './suggestions';

export interface FieldErrorContext {
  /** The schema the input was checked against, to know which fields are allowed where. */
  readonly schema: z.ZodType;
  readonly input: unknown;
  /** Fields allowed only in another variant, with the message to give instead of "unknown". */
  readonly notAllowedHere?: (path: readonly PathSegment[], key: string) => string | undefined;
}

export function toFieldErrors(issues: readonly z.core.$ZodIssue[], context: FieldErrorContext): SpecError[] {
  return issues.flatMap((issue) => toErrors(issue, context));
}

function toErrors(issue: z.core.$ZodIssue, context: FieldErrorContext): SpecError[] {
  const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
  const at = (code: SpecErrorCode, message: string, where: readonly PathSegment[] = path): SpecError => ({
    path: formatFieldPath(where),
    message,
    code,
  });
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownField(path, key, context));
    case 'invalid_key': {
      const inner = issue.issues[0];
      return [at(inner ? codeOf(inner) : 'FJC_SPEC_INVALID_FORMAT', inner?.message ?? issue.message)];
    }
    default:
      return [at(codeOf(issue, path.length === 0), issue.message)];
  }
}

function codeOf(issue: z.core.$ZodIssue, atRoot = false): SpecErrorCode {
  switch (issue.code) {
    case 'custom': {
      const parsed = SpecErrorCodeSchema.safeParse(issue.params?.code);
      return parsed.success ? parsed.data : 'FJC_SPEC_INVALID_VALUE';
    }
    case 'invalid_type':
      if (atRoot) return 'FJC_SPEC_NOT_A_MAPPING';
      // Needs the input on the issue: parse with { reportInput: true }.
      return issue.input === undefined ? 'FJC_SPEC_REQUIRED' : 'FJC_SPEC_INVALID_TYPE';
    case 'invalid_union':
      return 'FJC_SPEC_INVALID_TYPE';
    case 'invalid_value':
      return 'FJC_SPEC_INVALID_VALUE';
    case 'too_small':
    case 'too_big':
    case 'not_multiple_of':
      return 'FJC_SPEC_OUT_OF_RANGE';
    case 'invalid_format':
      return 'FJC_SPEC_INVALID_FORMAT';
    default:
      return 'FJC_SPEC_INVALID_VALUE';
  }
}

function unknownField(parent: readonly PathSegment[], key: string, context: FieldErrorContext): SpecError {
  const path = formatFieldPath([...parent, key]);
  const notAllowed = context.notAllowedHere?.(parent, key);
  if (notAllowed !== undefined) return { path, code: 'FJC_SPEC_FIELD_NOT_ALLOWED', message: notAllowed };

  const allowed = allowedKeysAt(context.schema, parent, context.input);
  const near = closestMatch(key, allowed);
  if (near !== undefined) return { path, code: 'FJC_SPEC_UNKNOWN_FIELD', message: `is not a known field; did you mean "${near}"?` };

  // Written at the wrong level, like `parallelism` at the top instead of under `deployment`.
  const elsewhere = leafFields(context.schema)
    .map((leaf) => leaf.path)
    .find((candidate) => candidate.split('.').pop() === key && candidate !== formatFieldPath([...parent, key]));
  if (elsewhere !== undefined) {
    return { path, code: 'FJC_SPEC_UNKNOWN_FIELD', message: `is not a field here; did you mean "${elsewhere}"?` };
  }
  return {
    path,
    code: 'FJC_SPEC_UNKNOWN_FIELD',
    message: `is not a known field (allowed here: ${allowed.join(', ')})`,
  };
}
