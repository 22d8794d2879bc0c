// Suspending: a new version equal to the current one with state "suspended". Nothing to do
// when the current version is already suspended.
import { canonicalSpec, specHash } from '@fjc/contracts';
import { append, rejected, unchanged, type Decision } from '../../spec-stream/decision';
import { existingJob } from '../../spec-stream/preconditions';
import type { SpecStream } from '../../spec-stream/spec-stream';

export interface SuspendJobCommand {
  readonly expectedVersion?: number;
  readonly reason?: string;
}

export function decideSuspendJob(stream: SpecStream, command: SuspendJobCommand): Decision {
  const job = existingJob(stream, command.expectedVersion);
  if (!job.ok) return rejected(job.error);
  if (job.current.spec.state === 'suspended') return unchanged(job.current.version);
  const spec = canonicalSpec({ ...job.current.spec, state: 'suspended' });
  const version = job.current.version + 1;
  const reason = command.reason === undefined ? {} : { reason: command.reason };
  return append(version, { type: 'JobSuspendRequested', payload: { version, specHash: specHash(spec), spec, ...reason } });
}
