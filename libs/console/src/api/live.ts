// Live data for the pages: the job list and one job, kept fresh. Today it polls the plain routes
// (GET /jobs, following `next` through every page where the API pages; /jobs/{id}, ...) every
// POLL_MS. When the API's event stream (GET /api/v1/stream, server-sent events read with fetch,
// since EventSource cannot send the Authorization header; resumed with Last-Event-ID) is on
// main, this module is the one place that changes: the pages only subscribe.
import {
  JobEventsSchema,
  JobExceptionListSchema,
  JobListSchema,
  JobViewSchema,
  SavepointListSchema,
  VersionListSchema,
  type JobExceptionView,
  type JobView,
  type LoggedEvent,
  type SavepointView,
  type SpecVersionView,
} from '@fjc/contracts';
import { z } from 'zod';
import type { ApiClient } from './client';
import type { ListedJob } from '../logic/filters';

const POLL_MS = 2_000;

export interface JobDetail {
  readonly job: JobView;
  readonly versions: readonly SpecVersionView[];
  readonly savepoints: readonly SavepointView[];
  readonly events: readonly LoggedEvent[];
  /** Flink's exceptions as FJC recorded them, newest first. */
  readonly exceptions: readonly JobExceptionView[];
}

/** Calls `load` now and after every POLL_MS, handing each answer (or failure) on; returns stop. */
function follow<T>(load: () => Promise<T>, onData: (data: T) => void, onError: (err: unknown) => void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    try {
      const data = await load();
      if (!stopped) onData(data);
    } catch (err) {
      if (!stopped) onError(err);
    }
    if (!stopped) timer = setTimeout(() => void tick(), POLL_MS);
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** A page of GET /jobs; `next` is the cursor of the following page where the API pages (absent where it answers all at once). */
const JobPageSchema = JobListSchema.extend({ next: z.string().nullable().optional() });
const PAGE_SIZE = 1000;

/** Every job the caller may see, page by page (each job once: the cursor is keyset by job id). */
export async function listAllJobs(client: ApiClient): Promise<ListedJob[]> {
  const jobs: ListedJob[] = [];
  let cursor: string | null | undefined = undefined;
  do {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) });
    const page: z.output<typeof JobPageSchema> = await client.get(`/jobs?${query}`, JobPageSchema);
    jobs.push(...page.jobs);
    cursor = page.next;
  } while (cursor);
  return jobs;
}

export function followJobs(client: ApiClient, onData: (jobs: ListedJob[]) => void, onError: (err: unknown) => void): () => void {
  return follow(() => listAllJobs(client), onData, onError);
}

export function loadJobDetail(client: ApiClient, jobId: string): Promise<JobDetail> {
  const at = `/jobs/${encodeURIComponent(jobId)}`;
  return Promise.all([
    client.get(at, JobViewSchema),
    client.get(`${at}/versions`, VersionListSchema),
    client.get(`${at}/savepoints`, SavepointListSchema),
    client.get(`${at}/events`, JobEventsSchema),
    client.get(`${at}/exceptions`, JobExceptionListSchema),
  ]).then(([job, versions, savepoints, events, exceptions]) => ({
    job,
    versions: versions.versions,
    savepoints: savepoints.savepoints,
    events: events.events,
    exceptions: exceptions.exceptions,
  }));
}

export function followJob(client: ApiClient, jobId: string, onData: (detail: JobDetail) => void, onError: (err: unknown) => void): () => void {
  return follow(() => loadJobDetail(client, jobId), onData, onError);
}
