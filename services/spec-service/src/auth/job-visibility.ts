// Which jobs a caller may see, for the queries: a job in a namespace where the caller has no
// role does not exist for it (404), and the global event feed leaves its events out.
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

  /** The items whose jobs the caller may see; an item of a job without a spec only for callers who see every namespace. */
  async filter<T extends { readonly jobId: string }>(principal: Principal, items: readonly T[]): Promise<T[]> {
    if (visibleNamespaces(principal) === '*') return [...items];
    const namespaces = await namespacesOf(this.pool, [...new Set(items.map((i) => i.jobId))]);
    return items.filter((i) => {
      const namespace = namespaces.get(i.jobId);
      return namespace !== undefined && mayRead(principal, namespace);
    });
  }
}
