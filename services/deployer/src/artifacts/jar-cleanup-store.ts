// The JarCleanupStore on PostgreSQL: ended runs waiting for their jar to go are deployer_jobs
// rows (terminal, cleanup_jar, not yet cleaned), claimed like observations by moving
// next_observe_at ahead, which observation ignores for terminal rows. A CleanUp asks it for the
// jars of the runs it names (jarsOfRuns) and whether anything besides them uses one.
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DB_POOL } from '@fjc/service-runtime';
import type { ClusterJar, EndedRun, JarCleanupStore, RunsJar } from './jar-cleanup';

interface EndedRunRow {
  flink_job_id: string;
  job_id: string;
  cluster: string;
  jar_id: string;
  jar_sha256: string;
}

@Injectable()
export class PgJarCleanupStore implements JarCleanupStore {
  constructor(@Inject(DB_POOL) private readonly pool: Pool) {}

  async claimEndedRuns(now: Date, intervalMs: number, limit: number): Promise<EndedRun[]> {
    const res = await this.pool.query<EndedRunRow>(
      `update deployer_jobs set next_observe_at = $1::timestamptz + make_interval(secs => $2::double precision / 1000)
        where flink_job_id in (
          select flink_job_id from deployer_jobs
           where cleanup_jar and jar_cleaned_at is null and terminal and last_state in ('FINISHED', 'FAILED', 'CANCELED')
             and jar_id is not null and jar_sha256 is not null and next_observe_at <= $1
           order by next_observe_at limit $3 for update skip locked)
        returning flink_job_id, job_id, cluster, jar_id, jar_sha256`,
      [now, intervalMs, limit],
    );
    return res.rows.map((r) => ({ flinkJobId: r.flink_job_id, jobId: r.job_id, cluster: r.cluster, jarId: r.jar_id, sha256: r.jar_sha256 }));
  }

  async jarInUse(jar: ClusterJar, besides: readonly string[]): Promise<boolean> {
    const res = await this.pool.query<{ used: boolean }>(
      `select exists (select 1 from deployer_jobs
                       where cluster = $1 and jar_sha256 = $2 and not terminal and flink_job_id <> all($3::text[]))
           or exists (select 1 from deployer_actions
                       where cluster = $1 and jar_sha256 = $2 and status in ('requested', 'started')) as used`,
      [jar.cluster, jar.sha256, besides],
    );
    return res.rows[0]?.used === true;
  }

  async forgetJar(jar: ClusterJar & { readonly jarId: string }): Promise<void> {
    await this.pool.query('delete from deployer_jars where cluster = $1 and sha256 = $2 and jar_id = $3', [jar.cluster, jar.sha256, jar.jarId]);
  }

  async jarsOfRuns(cluster: string, flinkJobIds: readonly string[]): Promise<RunsJar[]> {
    // The digest: the run's record (live only), its Deploy's recorded jar, or the digest its
    // ActionSucceeded carried (in the log, so also after a rebuild). The ids: the cache's entry
    // for the digest and whatever the records noted.
    const res = await this.pool.query<{ sha256: string; jar_ids: string[] }>(
      `with runs as (
         select jar_sha256 as sha256, jar_id from deployer_jobs where cluster = $1 and flink_job_id = any($2::text[])
         union all
         select coalesce(jar_sha256, result->'artifact'->>'sha256'), jar_id from deployer_actions
          where cluster = $1 and flink_job_id = any($2::text[]) and kind in ('Deploy', 'Upgrade')
       ), ids as (
         select sha256, jar_id from runs where sha256 is not null
         union
         select r.sha256, j.jar_id from runs r join deployer_jars j on j.cluster = $1 and j.sha256 = r.sha256
       )
       select sha256, array_remove(array_agg(distinct jar_id), null) as jar_ids from ids group by sha256 order by sha256`,
      [cluster, flinkJobIds],
    );
    return res.rows.map((r) => ({ cluster, sha256: r.sha256, jarIds: r.jar_ids }));
  }

  async markJarCleaned(run: EndedRun, at: Date): Promise<void> {
    await this.pool.query('update deployer_jobs set jar_cleaned_at = $2 where flink_job_id = $1', [run.flinkJobId, at]);
  }
}
