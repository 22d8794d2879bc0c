// Checking a spec file end to end: syntax, then the spec itself, with every error and warning
// pointing at its line in the file. What the CLI and the YAML/JSON HTTP body use.
import { parseFieldPath } from '../spec/field-path';
import type { SpecError, SpecWarning } from '../spec/spec-error';
import { validateSpec, type SpecValidation } from '../spec/validate-spec';
import { DEFAULT_SPEC_LIMITS, type SpecLimits } from '../spec/spec-limits';
import { parseSpecDocument, type LocateField } from './spec-document';

export function validateSpecDocument(text: string, filename: string, limits: SpecLimits = DEFAULT_SPEC_LIMITS): SpecValidation {
  const document = parseSpecDocument(text, filename, limits);
  if (!document.ok) return { ok: false, errors: document.errors };
  const result = validateSpec(document.value, limits);
  if (!result.ok) return { ok: false, errors: result.errors.map((error) => located(error, document.locate)) };
  return { ok: true, spec: result.spec, warnings: result.warnings.map((warning) => located(warning, document.locate)) };
}

function located<T extends SpecError | SpecWarning>(issue: T, locate: LocateField): T {
  if (issue.line !== undefined) return issue;
  const segments = parseFieldPath(issue.path);
  const at = segments === undefined || segments.length === 0 ? undefined : locate(segments);
  return at === undefined ? issue : { ...issue, line: at.line, column: at.column };
}
