// Short Flink blips (a restarting JobManager, a dropped connection) are retried a few times
// right here; a Flink that stays unreachable ends the action as a retryable failure, so the
// reconciler decides what to do instead of the deployer retrying forever.
import { FlinkUnavailableError } from '@fjc/flink-client';
import type { Sleep } from '../time/sleep';
import type { FlinkClient } from './flink-port';

export interface RetryPolicy {
  readonly attempts: number;
  readonly delayMs: number;
  readonly sleep: Sleep;
  readonly signal?: AbortSignal;
}

export async function retryTransient<T>(call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof FlinkUnavailableError) || attempt >= policy.attempts) throw err;
      await policy.sleep(policy.delayMs * 2 ** (attempt - 1), policy.signal);
    }
  }
}

const METHODS = [
  'uploadJar',
  'deleteJar',
  'runJar',
  'job',
  'stopWithSavepoint',
  'triggerSavepoint',
  'savepointStatus',
  'cancel',
  'rootException',
  'checkpoints',
  'vertexBackpressure',
  'flinkVersion',
] as const satisfies readonly (keyof FlinkClient)[];

/**
 * The same client with every call retried on FlinkUnavailableError. Safe because every call is
 * idempotent: submissions carry their job id, savepoints their trigger id.
 */
export function withTransientRetry(client: FlinkClient, policy: RetryPolicy): FlinkClient {
  const wrapped: Record<string, unknown> = {};
  for (const method of METHODS) {
    const target = client[method] as (...args: unknown[]) => Promise<unknown>;
    wrapped[method] = (...args: unknown[]) => retryTransient(() => target.apply(client, args), policy);
  }
  return wrapped as unknown as FlinkClient;
}
