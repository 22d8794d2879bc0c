// The checks every change of an existing job starts with: the job exists, was not deleted, and
// is at the version the caller expects (If-Match / expectedVersion).
import { commandErrors, type CommandError } from './command-error';
import { currentSpec, currentVersionNumber, type SpecStream, type SpecVersionEntry } from './spec-stream';

export function versionMismatch(stream: SpecStream, expectedVersion: number | undefined): CommandError | null {
  const actual = currentVersionNumber(stream);
  return expectedVersion === undefined || expectedVersion === actual ? null : commandErrors.versionConflict(expectedVersion, actual);
}

export type ExistingJob = { readonly ok: true; readonly current: SpecVersionEntry } | { readonly ok: false; readonly error: CommandError };

export function existingJob(stream: SpecStream, expectedVersion: number | undefined): ExistingJob {
  const current = currentSpec(stream);
  if (current === null) return { ok: false, error: commandErrors.jobNotFound(stream.jobId) };
  if (stream.deleted) return { ok: false, error: commandErrors.jobDeleted(stream.jobId, current.version) };
  const mismatch = versionMismatch(stream, expectedVersion);
  return mismatch ? { ok: false, error: mismatch } : { ok: true, current };
}
