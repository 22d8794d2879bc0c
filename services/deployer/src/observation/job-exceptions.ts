// Flink's exception history of a job, as JobExceptionObserved payloads: the root cause read from
// each entry's stack trace, a dedup key that is the same on every read of the same entry (so a
// deployer restart recognises what it already reported), and every secret value of the job
// replaced by [REDACTED]. Pure.
import { createHash } from 'node:crypto';
import type { PayloadOf } from '@fjc/contracts';
import type { JobExceptionEntry } from '../flink/flink-port';
import { redactValues } from '../secrets/secret-resolver';

export type JobExceptionObservedPayload = PayloadOf<'JobExceptionObserved'>;

const MAX_MESSAGE_CHARS = 2000;

/** sha256 (hex) of the Flink job id, Flink's timestamp and the exception class: stable across reads. */
export function exceptionIdOf(flinkJobId: string, entry: Pick<JobExceptionEntry, 'timestamp' | 'exceptionName'>): string {
  return createHash('sha256').update(`${flinkJobId}\n${entry.timestamp}\n${entry.exceptionName}`).digest('hex');
}

/**
 * The innermost cause of a Java stack trace ("Caused by: ..." lines; the first line when there is
 * none): its class and its message (the rest of that line).
 */
export function rootCauseOf(stacktrace: string, fallbackName: string): { name: string; message: string } {
  const lines = stacktrace.split('\n');
  const causes = lines.filter((l) => l.startsWith('Caused by: '));
  const line = (causes.at(-1)?.slice('Caused by: '.length) ?? lines[0] ?? '').trim();
  const match = /^([\w$.]+)(?::\s?(.*))?$/.exec(line);
  if (match === null) return { name: fallbackName, message: line.slice(0, MAX_MESSAGE_CHARS) };
  return { name: match[1] ?? fallbackName, message: (match[2] ?? '').slice(0, MAX_MESSAGE_CHARS) };
}

/** The payload of one history entry, with `secrets` (the job's resolved values) redacted. */
export function exceptionObservation(
  flinkJobId: string,
  entry: JobExceptionEntry,
  secrets: readonly string[],
  restartCount: number | null,
): JobExceptionObservedPayload {
  const cause = rootCauseOf(entry.stacktrace, entry.exceptionName);
  return {
    flinkJobId,
    exceptionId: exceptionIdOf(flinkJobId, entry),
    timestamp: new Date(entry.timestamp).toISOString(),
    rootCause: { name: redactValues(cause.name, secrets), message: redactValues(cause.message, secrets) },
    ...(entry.taskName ? { taskName: redactValues(entry.taskName, secrets) } : {}),
    ...(entry.location ? { location: entry.location } : {}),
    ...(restartCount !== null ? { restartCount } : {}),
  };
}
