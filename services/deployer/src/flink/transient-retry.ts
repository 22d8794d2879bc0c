// Short Flink blips (a restarting JobManager, a dropped connection, a 503) are retried a few
// times right here, with exponential back-off and jitter (cockatiel); a Flink that stays
// unreachable ends the action as a retryable failure, so the reconciler decides what to do
// instead of the deployer retrying forever. Only FlinkUnavailableError is retried: an open
// circuit breaker (BrokenCircuitError) fails at once, and an answer (a refusal, a program error)
// is never asked again.
import { ExponentialBackoff, handleType, retry, type RetryPolicy } from 'cockatiel';
import { FlinkUnavailableError } from '@fjc/flink-client';
import { StoppingError } from '../time/sleep';
import { FLINK_CLIENT_METHODS, type FlinkClient } from './flink-port';

export interface TransientRetryOptions {
  /** Tries of one call in all (the first one included). */
  readonly attempts: number;
  /** The first pause; each next one about doubles, with jitter, up to maxDelayMs. */
  readonly delayMs: number;
  readonly maxDelayMs?: number;
  /** Aborts the pauses (the service is stopping). */
  readonly signal?: AbortSignal;
  /** Told of each retry, for logs. */
  readonly onRetry?: (info: { call: string; attempt: number; delayMs: number; error: string }) => void;
}

export function transientRetryPolicy(opts: TransientRetryOptions): RetryPolicy {
  return retry(handleType(FlinkUnavailableError), {
    maxAttempts: Math.max(0, opts.attempts - 1),
    backoff: new ExponentialBackoff({ initialDelay: opts.delayMs, maxDelay: opts.maxDelayMs ?? Math.max(opts.delayMs, 10_000) }),
  });
}

const METHODS = FLINK_CLIENT_METHODS.filter((m) => m !== 'uploadJar');

/**
 * The same client with every call retried on FlinkUnavailableError. Safe because these calls are
 * idempotent: submissions carry their job id, savepoints their trigger id. An upload is not: a
 * retry of it first looks in Flink's jar list for the name it was uploaded under, and takes the
 * jar found there instead of uploading a second copy.
 */
export function withTransientRetry(client: FlinkClient, opts: TransientRetryOptions): FlinkClient {
  const policy = transientRetryPolicy(opts);
  const wrapped: Record<string, unknown> = {};
  for (const method of METHODS) {
    const target = client[method] as (...args: unknown[]) => Promise<unknown>;
    wrapped[method] = (...args: unknown[]) => run(policy, method, opts, () => target.apply(client, args));
  }
  wrapped.uploadJar = (path: string, name: string) =>
    run(policy, 'uploadJar', opts, async (attempt) => {
      if (attempt > 0) {
        // The earlier try may have reached Flink although its answer never came back.
        const found = (await client.listJarFiles()).find((f) => f.name === name);
        if (found) return found.id;
      }
      return client.uploadJar(path, name);
    });
  return wrapped as unknown as FlinkClient;
}

async function run<T>(policy: RetryPolicy, call: string, opts: TransientRetryOptions, fn: (attempt: number) => Promise<T>): Promise<T> {
  const listener = opts.onRetry
    ? policy.onRetry((r) => opts.onRetry?.({ call, attempt: r.attempt, delayMs: r.delay, error: 'error' in r ? (r.error instanceof Error ? r.error.message : String(r.error)) : 'unexpected value' }))
    : null;
  try {
    return await policy.execute(({ attempt }) => fn(attempt), opts.signal);
  } catch (err) {
    // Stopping mid-pause: the action resumes on the next start, it did not fail.
    if (opts.signal?.aborted) throw new StoppingError();
    throw err;
  } finally {
    listener?.dispose();
  }
}
