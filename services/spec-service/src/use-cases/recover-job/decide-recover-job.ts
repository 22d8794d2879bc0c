// An operator's decision about a job that lost its state (NEEDS_ATTENTION): start it from a
// savepoint they name, or with empty state. Recorded on the spec stream, with its actor, for the
// reconciler to carry out; it makes no new spec version. The reconciler takes it only while the
// job waits for one, so asking for a job that runs changes nothing.
import type { z } from 'zod';
import { OPEN_ARTIFACT_POLICY, type ArtifactPolicy, type RecoveryChoiceSchema } from '@fjc/contracts';
import { runPolicyErrors } from '../../spec-stream/run-policy';
import { append, rejected, type Decision } from '../../spec-stream/decision';
import { existingJob } from '../../spec-stream/preconditions';
import type { SpecStream } from '../../spec-stream/spec-stream';

export interface RecoverJobCommand {
  /** Chosen by the caller (an injected id generator), so the request can be followed. */
  readonly requestId: string;
  readonly from: z.output<typeof RecoveryChoiceSchema>;
  readonly expectedVersion?: number;
}

/** `policy`: a version the namespace's policy no longer allows is not started again (apply's codes). */
export function decideRecoverJob(stream: SpecStream, command: RecoverJobCommand, policy: ArtifactPolicy = OPEN_ARTIFACT_POLICY): Decision {
  const job = existingJob(stream, command.expectedVersion);
  if (!job.ok) return rejected(job.error);
  if (job.current.spec.job_type !== 'stream') {
    return rejected({ code: 'FJC_INVALID_REQUEST', path: '', message: `job ${stream.jobId} is a batch job: batch jobs keep no state to recover` });
  }
  const refused = runPolicyErrors(job.current.spec, job.current.version, policy);
  if (refused.length > 0) return rejected(...refused);
  return append(job.current.version, { type: 'JobRecoveryRequested', payload: { requestId: command.requestId, from: command.from } });
}
