// batch_config.cleanup_on_completion: when a batch run ends (FINISHED, FAILED, CANCELED) its jar
// is deleted from the cluster and forgotten in deployer_jars, so the next run uploads it again.
// A jar still used by a live job or an action under way on the same cluster is kept, and its
// deletion waits until the last user has ended. A run that ended waits in deployer_jobs until
// this is done, so a Flink outage only delays it. The same rules (jarInUse, forgetJar) decide
// which jars a CleanUp action (batch_config.max_runs) deletes: actions/carry-out/clean-up.ts.
import type { JobSpec } from '@fjc/contracts';
import type { FlinkClusters } from '../flink/flink-port';

/** Whether the spec wants its jar deleted from the cluster when a run ends. */
export function cleansUpJarOnEnd(spec: JobSpec): boolean {
  return spec.job_type === 'batch' && spec.batch_config.cleanup_on_completion;
}

/** A run that ended and whose jar is still to be deleted. */
export interface EndedRun {
  readonly flinkJobId: string;
  readonly jobId: string;
  readonly cluster: string;
  readonly jarId: string;
  readonly sha256: string;
}

/** A jar (by its SHA-256) on a cluster. */
export interface ClusterJar {
  readonly cluster: string;
  readonly sha256: string;
}

/** A jar some runs ran from, with every id the deployer knows it by on the cluster. */
export interface RunsJar extends ClusterJar {
  readonly jarIds: readonly string[];
}

export interface JarCleanupStore {
  /** Ended runs due for cleanup, each claimed for an interval (one instance at a time). */
  claimEndedRuns(now: Date, intervalMs: number, limit: number): Promise<EndedRun[]>;
  /** Whether a live job other than `besides`, or an open action, of the cluster uses a jar with this SHA-256. */
  jarInUse(jar: ClusterJar, besides: readonly string[]): Promise<boolean>;
  /** Drops the cluster's (sha256 -> this jar id) entry, so the next run uploads the jar again. */
  forgetJar(jar: ClusterJar & { readonly jarId: string }): Promise<void>;
  markJarCleaned(run: EndedRun, at: Date): Promise<void>;
  /** The jars these runs ran from on the cluster (CleanUp): digests from their records and their
   *  Deploy results (the log's, so a rebuilt deployer knows them too), ids from the cache and the records. */
  jarsOfRuns(cluster: string, flinkJobIds: readonly string[]): Promise<RunsJar[]>;
}

export const JAR_CLEANUP_STORE = Symbol('JAR_CLEANUP_STORE');

export type JarCleanupOutcome =
  | { readonly run: EndedRun; readonly outcome: 'deleted' | 'already-gone' | 'in-use' }
  | { readonly run: EndedRun; readonly outcome: 'failed'; readonly code: string; readonly message: string };

export interface JarCleanupDeps {
  readonly store: JarCleanupStore;
  readonly clusters: FlinkClusters;
  readonly now: Date;
  readonly intervalMs: number;
  readonly limit: number;
}

/** One round over the ended runs due for cleanup; what became of each. */
export async function cleanUpEndedRuns(deps: JarCleanupDeps): Promise<JarCleanupOutcome[]> {
  const outcomes: JarCleanupOutcome[] = [];
  for (const run of await deps.store.claimEndedRuns(deps.now, deps.intervalMs, deps.limit)) {
    outcomes.push(await cleanUp(deps, run));
  }
  return outcomes;
}

async function cleanUp(deps: JarCleanupDeps, run: EndedRun): Promise<JarCleanupOutcome> {
  const flink = deps.clusters.client(run.cluster);
  if (flink === null) return { run, outcome: 'failed', code: 'FJC_CLUSTER_UNKNOWN', message: `no Flink cluster named "${run.cluster}" is configured` };
  try {
    // 1. Still used: try again next round (the claim moved it an interval ahead).
    if (await deps.store.jarInUse(run, [run.flinkJobId])) return { run, outcome: 'in-use' };
    // 2. Forget it first: a submission from now on uploads anew, one racing us finds the jar
    //    missing and uploads it again (runJar answers FLINK_JAR_NOT_FOUND).
    await deps.store.forgetJar(run);
    // 3. Delete it; a jar Flink no longer has is as good.
    const deleted = await flink.deleteJar(run.jarId);
    await deps.store.markJarCleaned(run, deps.now);
    return { run, outcome: deleted ? 'deleted' : 'already-gone' };
  } catch (err) {
    const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'FJC_JAR_CLEANUP_FAILED';
    return { run, outcome: 'failed', code, message: err instanceof Error ? err.message : String(err) };
  }
}
