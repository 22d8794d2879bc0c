// Which jobs a caller may see, for the queries of one job: a job in a namespace where the caller
// has no role does not exist for it (404). Lists, the feed and the stream narrow their namespace
// filter instead (list-jobs.ts, events-feed/event-filter.ts).
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DB_POOL } from '@fjc/service-runtime';
import { namespacesOf } from '../read-model/jobs-query';
import { mayRead, visibleNamespaces, type Principal } from './principal';

@Injectable()
export class JobVisibility {
  constructor(@Inject(DB_POOL) private readonly pool: Pool) {}

  /** False for a job the caller may not see; true also for a job that does not exist (the query says 404 itself). */
  async visible(principal: Principal, jobId: string): Promise<boolean> {
    if (visibleNamespaces(principal) === '*') return true;
    const namespace = (await namespacesOf(this.pool, [jobId])).get(jobId);
    return namespace === undefined || mayRead(principal, namespace);
  }
}
