// Checks the editor's text before anything is sent: the same validation `fjc apply` and the
// spec-service run (the contracts' validateSpecDocument, whose rules are the JSON Schema's and
// more), with every error on its line. Pure.
import { parse as parseYaml } from 'yaml';
import { validateSpecDocument, type JobSpec, type SpecError, type SpecWarning } from '@fjc/contracts';

export type SpecCheck =
  /** spec: as the server will store it (defaults applied), for diffs; written: as typed, to send. */
  | { readonly ok: true; readonly jobId: string; readonly namespace: string; readonly cluster: string; readonly spec: JobSpec; readonly written: unknown; readonly warnings: readonly SpecWarning[] }
  | { readonly ok: false; readonly errors: readonly SpecError[] };

export function checkSpecText(text: string): SpecCheck {
  // JSON is read as JSON (its own error messages), anything else as YAML.
  const filename = text.trimStart().startsWith('{') ? 'spec.json' : 'spec.yaml';
  const result = validateSpecDocument(text, filename);
  if (!result.ok) return { ok: false, errors: result.errors };
  return { ok: true, jobId: result.spec.job_id, namespace: result.spec.namespace, cluster: result.spec.cluster, spec: result.spec, written: parseYaml(text), warnings: result.warnings };
}

/** "line 4: deployment.parallelism: must be at least 1 (FJC_SPEC_INVALID)". */
export function describeIssue(issue: { readonly path: string; readonly message: string; readonly code: string; readonly line?: number }): string {
  return `${issue.line !== undefined ? `line ${issue.line}: ` : ''}${issue.path ? `${issue.path}: ` : ''}${issue.message} (${issue.code})`;
}
