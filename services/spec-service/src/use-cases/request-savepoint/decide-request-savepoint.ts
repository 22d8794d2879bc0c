// Asking for a savepoint now: recorded on the spec stream for the reconciler to carry out.
// It makes no new spec version.
import { append, rejected, type Decision } from '../../spec-stream/decision';
import { existingJob } from '../../spec-stream/preconditions';
import type { SpecStream } from '../../spec-stream/spec-stream';

export interface RequestSavepointCommand {
  /** Chosen by the caller (an injected id generator), so the request can be followed. */
  readonly requestId: string;
  readonly targetDirectory?: string;
  readonly expectedVersion?: number;
}

export function decideRequestSavepoint(stream: SpecStream, command: RequestSavepointCommand): Decision {
  const job = existingJob(stream, command.expectedVersion);
  if (!job.ok) return rejected(job.error);
  const target = command.targetDirectory === undefined ? {} : { targetDirectory: command.targetDirectory };
  return append(job.current.version, { type: 'SavepointRequested', payload: { requestId: command.requestId, ...target } });
}
