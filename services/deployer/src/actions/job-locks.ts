// One executor per job across all deployer instances: a PostgreSQL session advisory lock per job,
// held on its own connection while the job's actions run. A crashed instance's connection
// closes, which releases the lock at once, so a restart (or a peer) resumes the action without
// waiting for a lease to expire. The connection holds no transaction meanwhile, so it does not
// hold back the log readers' horizon.
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DB_POOL } from '@fjc/service-runtime';

export interface JobLock {
  release(): Promise<void>;
}

const KEY = 'fjc.deployer.job:';

@Injectable()
export class JobLocks {
  constructor(@Inject(DB_POOL) private readonly pool: Pool) {}

  /** The job's lock, or null when another executor holds it. */
  async tryLock(jobId: string): Promise<JobLock | null> {
    const client = await this.pool.connect();
    try {
      const res = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as locked', [KEY + jobId]);
      if (!res.rows[0]?.locked) {
        client.release();
        return null;
      }
    } catch (err) {
      client.release(true);
      throw err;
    }
    return {
      release: async () => {
        try {
          await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [KEY + jobId]);
          client.release();
        } catch {
          // A connection that cannot unlock must not go back to the pool holding the lock.
          client.release(true);
        }
      },
    };
  }
}
