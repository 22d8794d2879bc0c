// Live data for the pages: the job list and one job, kept fresh. Today it polls the plain routes
// (GET /jobs, /jobs/{id}, ...) every POLL_MS; when the API's event stream (GET /api/v1/stream,
// server-sent events read with fetch, since EventSource cannot send the Authorization header)
// and paged /jobs are on main, this module is the one place that changes: the pages only
// subscribe.
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

export function followJobs(client: ApiClient, onData: (jobs: ListedJob[]) => void, onError: (err: unknown) => void): () => void {
  return follow(async () => (await client.get('/jobs', JobListSchema)).jobs, onData, onError);
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
