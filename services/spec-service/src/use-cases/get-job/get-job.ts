// Query: one job with its current spec and lifecycle status (GET /api/v1/jobs/{jobId}).
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DB_POOL } from '@fjc/service-runtime';
import { findJob } from '../../read-model/jobs-query';
import type { JobView } from '@fjc/contracts';

@Injectable()
export class GetJob {
  constructor(@Inject(DB_POOL) private readonly pool: Pool) {}

  execute(jobId: string): Promise<JobView | null> {
    return findJob(this.pool, jobId);
  }
}
