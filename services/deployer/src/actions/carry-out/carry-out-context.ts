// What a carry-out step may use: the cluster's Flink client (transient errors already retried),
// the jar source, what the deployer knows of the jars runs ran from (CleanUp), a clock and a sleep for bounded waits, what an earlier attempt of the same
// action recorded, and ways to record a savepoint as soon as Flink reports it and the jar a
// submission is about to run from.
import type { Clock } from '@fjc/service-runtime';
import type { FlinkJobState } from '@fjc/contracts';
import type { JarCleanupStore } from '../../artifacts/jar-cleanup';
import type { JarRef, JarSource } from '../../artifacts/jar-uploads';
import type { SecretResolver } from '../../secrets/secret-resolver';
import type { FlinkClient } from '../../flink/flink-port';
import type { Sleep } from '../../time/sleep';
import { WaitTimeoutError } from '../action-outcome';

export interface SavepointReport {
  readonly flinkJobId: string;
  readonly triggerId: string;
  readonly status: 'COMPLETED' | 'FAILED';
  readonly location?: string;
  readonly failureCause?: string;
  /** The job's state when the savepoint settled. */
  readonly jobState: FlinkJobState;
}

export interface CarryOutContext {
  readonly flink: FlinkClient;
  readonly cluster: string;
  readonly jars: JarSource;
  /** CleanUp: the jars runs ran from, whether anything else uses one, and forgetting it. */
  readonly runJars: Pick<JarCleanupStore, 'jarsOfRuns' | 'jarInUse' | 'forgetJar'>;
  /** Resolves the spec's {secretRef} values when a job is submitted. */
  readonly secrets: Pick<SecretResolver, 'resolve'>;
  /** 1 for the first attempt; more means an earlier attempt was interrupted and Flink must be asked first. */
  readonly attempt: number;
  /** A savepoint location an earlier attempt of this action recorded. */
  readonly recordedSavepoint?: string;
  readonly recordSavepoint: (report: SavepointReport) => Promise<void>;
  /** Called before runJar with the jar it runs from (the last call wins). */
  readonly recordJar: (jar: JarRef) => Promise<void>;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly signal?: AbortSignal;
  readonly pollMs: number;
  readonly savepointTimeoutMs: number;
  readonly terminalTimeoutMs: number;
  readonly log: (fields: Record<string, unknown>, msg: string) => void;
}

/** A deadline on the injected clock; `check` throws WaitTimeoutError once it has passed. */
export function deadline(ctx: CarryOutContext, ms: number, what: string): { check(): void } {
  const end = ctx.clock.now().getTime() + ms;
  return {
    check: () => {
      if (ctx.clock.now().getTime() > end) throw new WaitTimeoutError(`${what} did not happen within ${ms} ms`);
    },
  };
}
