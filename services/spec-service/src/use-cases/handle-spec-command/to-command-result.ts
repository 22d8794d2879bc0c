// The one result of an upstream command, pure: from the command's outcome, or from the
// problems of a message that is not a valid command (which still names its commandId).
import { JOB_ID_PATTERN, type SpecCommandResult, type SpecError } from '@fjc/contracts';
import type { CommandError } from '../../spec-stream/command-error';
import type { CommandOutcome } from '../../spec-stream/run-spec-command';

export function toCommandResult(commandId: string, jobId: string, outcome: CommandOutcome): SpecCommandResult {
  switch (outcome.kind) {
    case 'appended':
      return { commandId, jobId, status: 'accepted', version: outcome.version };
    case 'unchanged':
      return { commandId, jobId, status: 'unchanged', version: outcome.version };
    case 'rejected':
      return { commandId, jobId, status: 'rejected', errors: outcome.errors.map(resultError) };
  }
}

/**
 * The result of a message that failed validateSpecCommand, or whose sender could not be
 * authenticated or may not do what it asks. The transport has made sure it has
 * a commandId. The job id is the command's when valid, else the message key's (producers key
 * by job id); failing both it repeats what was sent, so the sender can still match the result.
 */
export function invalidCommandResult(message: unknown, key: string | null, errors: readonly (SpecError | CommandError)[]): SpecCommandResult {
  const fields = typeof message === 'object' && message !== null ? (message as Record<string, unknown>) : {};
  const candidates = [fields.jobId, key].filter((v): v is string => typeof v === 'string');
  const jobId = candidates.find((v) => JOB_ID_PATTERN.test(v)) ?? candidates[0] ?? '';
  return { commandId: String(fields.commandId), jobId, status: 'rejected', errors: errors.map(resultError) };
}

/** Results carry {path, message, code}: the result schema is strict, so no line or column. */
function resultError(error: CommandError | SpecError): { path: string; message: string; code: string } {
  return { path: error.path, message: error.message, code: error.code };
}
