// Deleting: JobDeleteRequested ends the job's stream. Deleting a deleted job again changes
// nothing (so a re-sent delete is harmless); every other change of it is refused.
import { append, rejected, unchanged, type Decision } from '../../spec-stream/decision';
import { commandErrors } from '../../spec-stream/command-error';
import { existingJob } from '../../spec-stream/preconditions';
import { currentSpec, type SpecStream } from '../../spec-stream/spec-stream';

export interface DeleteJobCommand {
  readonly expectedVersion?: number;
  readonly reason?: string;
}

export function decideDeleteJob(stream: SpecStream, command: DeleteJobCommand): Decision {
  const last = currentSpec(stream);
  if (last === null) return rejected(commandErrors.jobNotFound(stream.jobId));
  if (stream.deleted) return unchanged(last.version);
  const job = existingJob(stream, command.expectedVersion);
  if (!job.ok) return rejected(job.error);
  const reason = command.reason === undefined ? {} : { reason: command.reason };
  return append(last.version, { type: 'JobDeleteRequested', payload: { lastVersion: last.version, ...reason } });
}
