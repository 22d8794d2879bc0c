// The JarCleanupStore on PostgreSQL: ended runs waiting for their jar to go are deployer_jobs
// rows (terminal, cleanup_jar, not yet cleaned), claimed like observations by moving
// next_observe_at ahead, which observation ignores for terminal rows.
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DB_POOL } from '@fjc/service-runtime';
import type { EndedRun, JarCleanupStore } from './jar-cleanup';

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

  async jarInUse(run: EndedRun): Promise<boolean> {
    const res = await this.pool.query<{ used: boolean }>(
      `select exists (select 1 from deployer_jobs
                       where cluster = $1 and jar_sha256 = $2 and not terminal and flink_job_id <> $3)
           or exists (select 1 from deployer_actions
                       where cluster = $1 and jar_sha256 = $2 and status in ('requested', 'started')) as used`,
      [run.cluster, run.sha256, run.flinkJobId],
    );
    return res.rows[0]?.used === true;
  }

  async forgetJar(run: EndedRun): Promise<void> {
    await this.pool.query('delete from deployer_jars where cluster = $1 and sha256 = $2 and jar_id = $3', [run.cluster, run.sha256, run.jarId]);
  }

  async markJarCleaned(run: EndedRun, at: Date): Promise<void> {
    await this.pool.query('update deployer_jobs set jar_cleaned_at = $2 where flink_job_id = $1', [run.flinkJobId, at]);
  }
}
