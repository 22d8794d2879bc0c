// Query: one page of jobs with their status (GET /api/v1/jobs), by job id, filtered by
// namespace, lifecycle state, label selector and text in the id; deleted jobs only when asked
// for. The caller's visible namespaces narrow the namespace filter: a job the caller may not
// see is not there for it. A bad selector or cursor is a value naming its parameter.
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DB_POOL } from '@fjc/service-runtime';
import { parseLabelSelector, type JobList } from '@fjc/contracts';
import { listJobsPage } from '../../read-model/jobs-query';
import type { CommandError } from '../../spec-stream/command-error';
import { decodeJobCursor, encodeJobCursor, type JobFilters } from './job-cursor';

export interface ListJobsRequest extends JobFilters {
  readonly limit: number;
  readonly cursor: string | null;
  /** The namespaces the caller may read ("*": every one). */
  readonly visible: '*' | readonly string[];
}

export type ListJobsResult = { readonly ok: true; readonly page: JobList } | { readonly ok: false; readonly error: CommandError };

@Injectable()
export class ListJobs {
  constructor(@Inject(DB_POOL) private readonly pool: Pool) {}

  async execute(request: ListJobsRequest): Promise<ListJobsResult> {
    const selector = parseLabelSelector(request.selector ?? '');
    if (!selector.ok) return { ok: false, error: { code: 'FJC_INVALID_SELECTOR', path: 'selector', message: selector.message } };
    const cursor = request.cursor === null ? null : decodeJobCursor(request.cursor, request);
    if (cursor !== null && !cursor.ok) return { ok: false, error: { code: 'FJC_INVALID_CURSOR', path: 'cursor', message: cursor.message } };
    const namespaces = narrow(request.namespaces, request.visible);
    if (namespaces !== null && namespaces.length === 0) return { ok: true, page: { jobs: [], next: null } };
    const rows = await listJobsPage(this.pool, {
      afterJobId: cursor?.afterJobId ?? null,
      limit: request.limit + 1,
      namespaces,
      states: request.states,
      labels: selector.requirements,
      text: request.text,
      includeDeleted: request.includeDeleted,
    });
    const jobs = rows.slice(0, request.limit);
    const last = jobs.at(-1);
    return { ok: true, page: { jobs, next: rows.length > request.limit && last ? encodeJobCursor(last.jobId, request) : null } };
  }
}

/** The asked-for namespaces the caller may see; null: no filter at all. */
function narrow(asked: readonly string[] | null, visible: '*' | readonly string[]): readonly string[] | null {
  if (visible === '*') return asked;
  return asked === null ? visible : asked.filter((n) => visible.includes(n));
}
