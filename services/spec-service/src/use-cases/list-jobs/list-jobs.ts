// Query: every job with its status (GET /api/v1/jobs); deleted jobs only when asked for.
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DB_POOL } from '@fjc/service-runtime';
import { listJobs } from '../../read-model/jobs-query';
import type { JobSummary } from '@fjc/contracts';

@Injectable()
export class ListJobs {
  constructor(@Inject(DB_POOL) private readonly pool: Pool) {}

  execute(options: Parameters<typeof listJobs>[1]): Promise<JobSummary[]> {
    return listJobs(this.pool, options);
  }
}
