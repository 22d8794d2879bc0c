// Query: the Flink exceptions of a job as FJC recorded them (GET /api/v1/jobs/{jobId}/exceptions),
// from the job's events in the log. null for a job the log knows nothing about.
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { readJobEvents } from '@fjc/event-log';
import { DB_POOL } from '@fjc/service-runtime';
import type { JobExceptionList } from '@fjc/contracts';
import { exceptionsOf } from './exceptions-of';

@Injectable()
export class ListExceptions {
  constructor(@Inject(DB_POOL) private readonly pool: Pool) {}

  async execute(jobId: string): Promise<JobExceptionList | null> {
    const events = await readJobEvents(this.pool, jobId);
    return events.length === 0 ? null : { jobId, exceptions: exceptionsOf(events) };
  }
}
