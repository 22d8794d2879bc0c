// The JarCleanupStore in memory, for unit tests of the jar cleanup: deployer_jobs rows, the
// deployer_jars cache and the jars of open actions, with the same rules as the SQL of
// PgJarCleanupStore (which the int tests run against PostgreSQL).
import type { FlinkJobState } from '@fjc/contracts';
import type { ClusterJar, EndedRun, JarCleanupStore, RunsJar } from '../artifacts/jar-cleanup';

export interface JobRow {
  readonly flinkJobId: string;
  readonly jobId: string;
  readonly cluster: string;
  state: FlinkJobState | null;
  terminal: boolean;
  readonly jarId: string | null;
  readonly sha256: string | null;
  readonly cleanupJar: boolean;
  cleanedAt: Date | null;
  nextAt: Date;
}

const ENDED: readonly (FlinkJobState | null)[] = ['FINISHED', 'FAILED', 'CANCELED'];

export class InMemoryJarCleanupStore implements JarCleanupStore {
  readonly jobs = new Map<string, JobRow>();
  /** deployer_jars: `${cluster} ${sha256}` -> jar id. */
  readonly jarCache = new Map<string, string>();
  /** Jars recorded on open (requested or started) actions. */
  readonly openActionJars: { cluster: string; sha256: string }[] = [];
  /** The digests Deploy results carried (deployer_actions.result), by Flink job id: all a rebuilt deployer knows of a run's jar. */
  readonly deployedDigests = new Map<string, ClusterJar>();

  /** A submitted job, running until `end` is called. */
  job(row: Pick<JobRow, 'flinkJobId' | 'cluster' | 'jarId' | 'sha256' | 'cleanupJar'> & { jobId?: string }): this {
    this.jobs.set(row.flinkJobId, { jobId: 'nightly', state: 'RUNNING', terminal: false, cleanedAt: null, nextAt: new Date(0), ...row });
    return this;
  }

  /** The observer saw the job end (or go missing). */
  end(flinkJobId: string, state: FlinkJobState = 'FINISHED'): this {
    const row = this.row(flinkJobId);
    row.state = state;
    row.terminal = true;
    return this;
  }

  cached(cluster: string, sha256: string, jarId: string): this {
    this.jarCache.set(`${cluster} ${sha256}`, jarId);
    return this;
  }

  async claimEndedRuns(now: Date, intervalMs: number, limit: number): Promise<EndedRun[]> {
    const due = [...this.jobs.values()]
      .filter((j) => j.cleanupJar && j.cleanedAt === null && j.terminal && ENDED.includes(j.state) && j.jarId !== null && j.sha256 !== null && j.nextAt <= now)
      .sort((a, b) => a.nextAt.getTime() - b.nextAt.getTime())
      .slice(0, limit);
    for (const j of due) j.nextAt = new Date(now.getTime() + intervalMs);
    return due.map((j) => ({ flinkJobId: j.flinkJobId, jobId: j.jobId, cluster: j.cluster, jarId: j.jarId as string, sha256: j.sha256 as string }));
  }

  async jarInUse(jar: ClusterJar, besides: readonly string[]): Promise<boolean> {
    const live = [...this.jobs.values()].some((j) => j.cluster === jar.cluster && j.sha256 === jar.sha256 && !j.terminal && !besides.includes(j.flinkJobId));
    return live || this.openActionJars.some((a) => a.cluster === jar.cluster && a.sha256 === jar.sha256);
  }

  async forgetJar(jar: ClusterJar & { readonly jarId: string }): Promise<void> {
    const key = `${jar.cluster} ${jar.sha256}`;
    if (this.jarCache.get(key) === jar.jarId) this.jarCache.delete(key);
  }

  async jarsOfRuns(cluster: string, flinkJobIds: readonly string[]): Promise<RunsJar[]> {
    const ids = new Map<string, Set<string>>();
    const note = (sha256: string | null, jarId: string | null) => {
      if (sha256 === null) return;
      const known = ids.get(sha256) ?? new Set<string>();
      if (jarId !== null) known.add(jarId);
      ids.set(sha256, known);
    };
    for (const id of flinkJobIds) {
      const row = this.jobs.get(id);
      if (row?.cluster === cluster) note(row.sha256, row.jarId);
      const deployed = this.deployedDigests.get(id);
      if (deployed?.cluster === cluster) note(deployed.sha256, null);
    }
    for (const [sha256, known] of ids) {
      const cached = this.jarCache.get(`${cluster} ${sha256}`);
      if (cached !== undefined) known.add(cached);
    }
    return [...ids.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([sha256, known]) => ({ cluster, sha256, jarIds: [...known].sort() }));
  }

  async markJarCleaned(run: EndedRun, at: Date): Promise<void> {
    this.row(run.flinkJobId).cleanedAt = at;
  }

  private row(flinkJobId: string): JobRow {
    const row = this.jobs.get(flinkJobId);
    if (row === undefined) throw new Error(`no job ${flinkJobId}`);
    return row;
  }
}
