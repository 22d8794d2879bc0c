// How `fjc validate` and `fjc apply` report: one line per error as `file: path: message`,
// warnings as `file: warning: path: message`, with the line in the file when known. No codes
// or stack traces: the message is meant for the person editing the file.
import type { SpecError } from '@fjc/contracts';

/** An error or warning about a spec file: from the contracts, or from the spec-service. */
export type Issue = Pick<SpecError, 'path' | 'message' | 'line' | 'column'> & { readonly code?: string };

export function errorLine(file: string, error: Issue): string {
  return `${file}: ${located(error)}`;
}

export function warningLine(file: string, warning: Issue): string {
  return `${file}: warning: ${located(warning)}`;
}

/** Issues in the order of the file, those without a line last. */
export function inFileOrder<T extends Issue>(issues: readonly T[]): T[] {
  return [...issues].sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
}

function located(issue: Issue): string {
  if (issue.path !== '') return `${issue.path}: ${issue.message}${issue.line === undefined ? '' : ` (line ${issue.line})`}`;
  if (issue.line !== undefined) return `line ${issue.line}, column ${issue.column ?? 1}: ${issue.message}`;
  return issue.message;
}

export function summaryLine(valid: number, invalid: number): string {
  const files = (n: number) => `${n} ${n === 1 ? 'file' : 'files'}`;
  return invalid === 0 ? `${files(valid)} valid` : `${files(invalid)} invalid, ${files(valid)} valid`;
}
