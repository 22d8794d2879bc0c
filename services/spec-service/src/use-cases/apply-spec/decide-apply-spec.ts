// Applying a validated spec: a new version only when its canonical hash differs from the
// current one. The spec names its own job, and that must be the job the request is about.
// Applying a spec to a deleted job creates it again: the stream goes on with the next version
// (even when the spec equals the last one), so the history before the delete stays in place.
// A new job may not take a name the log gives template events (template-<name>, their jobId).
import { canonicalJson, canonicalSpec, RESERVED_JOB_ID_PREFIX, specHash, type JobSpec, type SpecWarning, type TemplateUse } from '@fjc/contracts';
import { commandErrors } from '../../spec-stream/command-error';
import { append, rejected, unchanged, type Decision } from '../../spec-stream/decision';
import { versionMismatch } from '../../spec-stream/preconditions';
import { currentSpec, type SpecStream } from '../../spec-stream/spec-stream';

export interface ApplySpecCommand {
  readonly jobId: string;
  readonly spec: JobSpec;
  readonly warnings: readonly SpecWarning[];
  readonly expectedVersion?: number;
  /** The template the spec was rendered from, recorded with the version. */
  readonly template?: TemplateUse;
}

export function decideApplySpec(stream: SpecStream, command: ApplySpecCommand): Decision {
  if (command.spec.job_id !== command.jobId) return rejected(commandErrors.jobIdMismatch(command.jobId, command.spec.job_id));
  const current = currentSpec(stream);
  // Only new jobs: one recorded before the rule keeps its name (and its mixed history).
  if (current === null && command.jobId.startsWith(RESERVED_JOB_ID_PREFIX)) return rejected(commandErrors.jobIdReserved(command.jobId, RESERVED_JOB_ID_PREFIX));
  const mismatch = versionMismatch(stream, command.expectedVersion);
  if (mismatch) return rejected(mismatch);

  const spec = canonicalSpec(command.spec);
  const hash = specHash(spec);
  // The same spec rendered from another template use is a new version, so the log says which template the job follows.
  if (current?.specHash === hash && !stream.deleted && sameTemplateUse(current.template, command.template)) return unchanged(current.version);
  const version = (current?.version ?? 0) + 1;
  const template = command.template ? { template: command.template } : {};
  return append(version, { type: 'SpecUpdated', payload: { version, specHash: hash, spec, warnings: [...command.warnings], ...template } });
}

function sameTemplateUse(a: TemplateUse | undefined, b: TemplateUse | undefined): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}
