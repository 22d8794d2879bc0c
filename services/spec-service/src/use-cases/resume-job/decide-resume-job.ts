// Resuming: a new version equal to the current one with state "running". Nothing to do when
// the current version already runs.
import { canonicalSpec, OPEN_ARTIFACT_POLICY, specHash, type ArtifactPolicy } from '@fjc/contracts';
import { runPolicyErrors } from '../../spec-stream/run-policy';
import { append, rejected, unchanged, type Decision } from '../../spec-stream/decision';
import { existingJob } from '../../spec-stream/preconditions';
import type { SpecStream } from '../../spec-stream/spec-stream';

export interface ResumeJobCommand {
  readonly expectedVersion?: number;
  readonly reason?: string;
}

/** `policy`: a version the namespace's policy no longer allows is not resumed (apply's codes). */
export function decideResumeJob(stream: SpecStream, command: ResumeJobCommand, policy: ArtifactPolicy = OPEN_ARTIFACT_POLICY): Decision {
  const job = existingJob(stream, command.expectedVersion);
  if (!job.ok) return rejected(job.error);
  if (job.current.spec.state === 'running') return unchanged(job.current.version);
  const refused = runPolicyErrors(job.current.spec, job.current.version, policy);
  if (refused.length > 0) return rejected(...refused);
  const spec = canonicalSpec({ ...job.current.spec, state: 'running' });
  const version = job.current.version + 1;
  const reason = command.reason === undefined ? {} : { reason: command.reason };
  return append(version, { type: 'JobResumeRequested', payload: { version, specHash: specHash(spec), spec, ...reason } });
}
