// Live data for the pages: the job list and one job, kept fresh. Each page subscribes to the
// API's event stream (GET /api/v1/stream: server-sent events read with fetch, since EventSource
// cannot send the Authorization header) and reloads what it shows when an event that changes it
// arrives; a dropped stream resumes after the last event seen (Last-Event-ID), so nothing is
// missed. While a stream cannot be opened the page reloads every RETRY_MS instead.
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
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { z } from 'zod';
import type { ApiClient } from './client';
import type { ListedJob } from '../logic/filters';

/** Wait before reopening a stream that failed or ended (the server's retry hint is 3 s too). */
const RETRY_MS = 3_000;
/** Events come in bursts (one request causes several): one reload per burst. */
const SETTLE_MS = 300;

export interface JobDetail {
  readonly job: JobView;
  readonly versions: readonly SpecVersionView[];
  readonly savepoints: readonly SavepointView[];
  readonly events: readonly LoggedEvent[];
  /** Flink's exceptions as FJC recorded them, newest first. */
  readonly exceptions: readonly JobExceptionView[];
}

/**
 * Loads now, then again after each burst of events of `streamQuery` (GET /stream?...). The
 * stream is opened before the first load, so no change between the two is missed. Returns stop.
 */
function follow<T>(client: ApiClient, streamQuery: URLSearchParams, load: () => Promise<T>, onData: (data: T) => void, onError: (err: unknown) => void): () => void {
  const abort = new AbortController();
  let stopped = false;
  let settling: ReturnType<typeof setTimeout> | undefined;
  const reload = async () => {
    try {
      const data = await load();
      if (!stopped) onData(data);
    } catch (err) {
      if (!stopped) onError(err);
    }
  };
  const changed = () => {
    if (settling === undefined) settling = setTimeout(() => ((settling = undefined), void reload()), SETTLE_MS);
  };
  void (async () => {
    let lastEventId: string | undefined;
    while (!stopped) {
      try {
        const body = await client.stream(`/stream?${streamQuery}`, lastEventId, abort.signal);
        void reload();
        const events = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
        for (let next = await events.read(); !next.done; next = await events.read()) {
          if (next.value.id) lastEventId = next.value.id;
          changed();
        }
      } catch {
        // A refused or dropped stream: the page still refreshes (below) and the stream is tried again.
        if (stopped) return;
        void reload();
      }
      await new Promise((resume) => setTimeout(resume, RETRY_MS));
    }
  })();
  return () => {
    stopped = true;
    clearTimeout(settling);
    abort.abort();
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

/** The events that change a row of the job list. */
const LIST_EVENTS = ['SpecUpdated', 'JobSuspendRequested', 'JobResumeRequested', 'JobRolledBack', 'JobDeleteRequested', 'LifecycleChanged', 'VersionAdopted'];

export function followJobs(client: ApiClient, onData: (jobs: ListedJob[]) => void, onError: (err: unknown) => void): () => void {
  return follow(client, new URLSearchParams({ type: LIST_EVENTS.join(',') }), () => listAllJobs(client), onData, onError);
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

/** Every event of the job changes its page (its timeline at least). */
export function followJob(client: ApiClient, jobId: string, onData: (detail: JobDetail) => void, onError: (err: unknown) => void): () => void {
  return follow(client, new URLSearchParams({ jobId }), () => loadJobDetail(client, jobId), onData, onError);
}
