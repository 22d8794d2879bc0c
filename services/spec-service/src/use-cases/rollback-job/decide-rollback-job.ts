// Rolling back: a new version whose content is that of an older one; history is never
// rewritten. Going back to content that is already current changes nothing.
import { append, rejected, unchanged, type Decision } from '../../spec-stream/decision';
import { commandErrors } from '../../spec-stream/command-error';
import { existingJob } from '../../spec-stream/preconditions';
import type { SpecStream } from '../../spec-stream/spec-stream';
import { runPolicyErrors } from '../../spec-stream/run-policy';
import { OPEN_ARTIFACT_POLICY, type ArtifactPolicy } from '@fjc/contracts';

export interface RollbackJobCommand {
  readonly toVersion: number;
  readonly expectedVersion?: number;
  /** A savepoint the operator named: the rolled-back version starts from it. */
  readonly savepointPath?: string;
}

/** `policy`: a version the namespace's policy no longer allows is refused with apply's codes. */
export function decideRollbackJob(stream: SpecStream, command: RollbackJobCommand, policy: ArtifactPolicy = OPEN_ARTIFACT_POLICY): Decision {
  const job = existingJob(stream, command.expectedVersion);
  if (!job.ok) return rejected(job.error);
  const { current } = job;
  const target = stream.versions.find((v) => v.version === command.toVersion);
  if (target === undefined) return rejected(commandErrors.versionNotFound(command.toVersion, current.version));
  // The same content again changes nothing, unless the operator names a savepoint to start from.
  if (target.specHash === current.specHash && command.savepointPath === undefined) return unchanged(current.version);
  const refused = runPolicyErrors(target.spec, target.version, policy);
  if (refused.length > 0) return rejected(...refused);
  const version = current.version + 1;
  return append(version, {
    type: 'JobRolledBack',
    payload: {
      version,
      specHash: target.specHash,
      spec: target.spec,
      fromVersion: current.version,
      toVersion: target.version,
      ...(command.savepointPath !== undefined ? { savepointPath: command.savepointPath } : {}),
    },
  });
}
