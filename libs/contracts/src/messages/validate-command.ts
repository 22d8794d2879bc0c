// Checking an upstream command message: every problem with its path, as values. The spec
// inside an ApplySpec is checked afterwards by validateSpec.
import { describeValue } from '../spec/describe-value';
import { toFieldErrors } from '../spec/field-errors';
import { fieldIssueMessage } from '../spec/issue-messages';
import type { SpecError } from '../spec/spec-error';
import { didYouMean } from '../spec/suggestions';
import { isRecord } from '../spec/schema-walk';
import { SPEC_COMMAND_TYPES, SpecCommandSchema, type SpecCommand } from './spec-commands';

export type SpecCommandValidation =
  | { readonly ok: true; readonly command: SpecCommand }
  | { readonly ok: false; readonly errors: SpecError[] };

export function validateSpecCommand(input: unknown): SpecCommandValidation {
  const parsed = SpecCommandSchema.safeParse(input, { error: fieldIssueMessage, reportInput: true });
  if (parsed.success) return { ok: true, command: parsed.data };
  const errors = toFieldErrors(parsed.error.issues, { schema: SpecCommandSchema, input }).map((error): SpecError => {
    if (error.path !== 'type' || error.code !== 'FJC_SPEC_INVALID_TYPE') return error;
    const given = isRecord(input) ? input.type : undefined;
    if (given === undefined) return { ...error, code: 'FJC_SPEC_REQUIRED', message: `is required: one of ${SPEC_COMMAND_TYPES.join(', ')}` };
    const hint = typeof given === 'string' ? didYouMean(given, SPEC_COMMAND_TYPES) : '';
    return {
      ...error,
      code: 'FJC_SPEC_INVALID_VALUE',
      message: `must be one of ${SPEC_COMMAND_TYPES.join(', ')}, got ${describeValue(given)}${hint}`,
    };
  });
  return { ok: false, errors };
}
