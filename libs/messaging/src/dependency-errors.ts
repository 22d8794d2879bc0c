// Is this failure an outage of a dependency (PostgreSQL or Kafka unreachable, restarting, timing
// out) rather than a fault of the work itself? Outages are waited out and retried without limit;
// only failures of the work's own content count as attempts and may end in the DLQ.

/** SQLSTATEs of an unusable server or connection: class 08 (connection exception), 57P01-57P03
 *  (admin shutdown, crash shutdown, cannot connect now), 57014 (statement timeout / cancelled),
 *  53300 (too many connections), 25P03 (idle-in-transaction timeout). */
const SQLSTATE_CLASSES = ['08'];
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '57P05', '57014', '53300', '25P03']);

/** Node socket errors. */
const ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** kafkajs errors of an unreachable or changing cluster. */
const KAFKAJS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSLockTimeout',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
]);

/** Messages of the pg driver (which sets no code on these). */
const MESSAGES = [
  /Connection terminated/i,
  /connection timeout/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /Client was closed and is not queryable/i,
  /Cannot use a pool after calling end on the pool/i,
  /terminating connection due to administrator command/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /socket hang up/i,
  /read ECONNRESET/i,
  /connect ECONNREFUSED/i,
];

/** Thrown by a handler whose dependency (other than PostgreSQL or Kafka, e.g. an identity
 *  provider) cannot be reached: the message is waited on like any outage, never dead-lettered. */
export class DependencyUnavailableError extends Error {
  override readonly name = 'DependencyUnavailableError';
  constructor(
    readonly dependency: string,
    message: string,
  ) {
    super(message);
  }
}

export function isDependencyUnavailable(err: unknown, depth = 0): boolean {
  if (err instanceof DependencyUnavailableError) return true;
  if (depth > 5 || typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code !== undefined) {
    if (/^[0-9A-Z]{5}$/.test(code) && (SQLSTATES.has(code) || SQLSTATE_CLASSES.includes(code.slice(0, 2)))) return true;
    if (ERRNO.has(code)) return true;
  }
  if (typeof e.name === 'string' && KAFKAJS.has(e.name)) return true;
  // A kafkajs retriable error that exhausted its retries, or a pg error wrapped by a handler.
  if (typeof e.message === 'string' && MESSAGES.some((m) => m.test(e.message as string))) return true;
  if (isDependencyUnavailable(e.cause, depth + 1) || isDependencyUnavailable(e.originalError, depth + 1)) return true;
  if (Array.isArray(e.errors)) return e.errors.some((inner) => isDependencyUnavailable(inner, depth + 1));
  return false;
}

/** Bounded exponential back-off with jitter: between half and all of min(maxMs, baseMs * 2^attempt). */
export function backoffMs(attempt: number, baseMs = 250, maxMs = 5_000, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export interface WaitLogger {
  warn(entry: { code: 'FJC_DEPENDENCY_WAITING'; dependency: string; attempt: number; retryInMs: number; error: string }, msg: string): void;
}

/** Runs `work` until it succeeds, waiting with bounded back-off (and a progress line each time)
 *  while it fails because `dependency` is unavailable. Other failures are thrown at once. */
export async function waitForDependency<T>(dependency: string, work: () => Promise<T>, log: WaitLogger, options: { baseMs?: number; maxMs?: number } = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isDependencyUnavailable(err)) throw err;
      const retryInMs = backoffMs(attempt, options.baseMs ?? 500, options.maxMs ?? 10_000);
      log.warn(
        { code: 'FJC_DEPENDENCY_WAITING', dependency, attempt: attempt + 1, retryInMs, error: err instanceof Error ? err.message : String(err) },
        `${dependency} is unavailable; waiting ${retryInMs} ms before trying again`,
      );
      await new Promise((r) => setTimeout(r, retryInMs));
    }
  }
}
