// The jobs page's filters (namespace, lifecycle state, text), applied to the jobs as listed
// (every page of GET /jobs), so the filter choices always come from the whole list. Pure.
import type { JobSummary } from '@fjc/contracts';

export interface JobFilter {
  /** '' for every namespace. */
  readonly namespace: string;
  /** '' for every state. */
  readonly state: string;
  /** Matched, case-insensitive, against the job id, namespace and cluster. */
  readonly text: string;
}

export const NO_FILTER: JobFilter = { namespace: '', state: '', text: '' };

/** A listed job, with where it belongs and runs. */
export type ListedJob = JobSummary & { readonly namespace: string; readonly cluster: string };

export function filterJobs<J extends ListedJob>(jobs: readonly J[], filter: JobFilter): J[] {
  const text = filter.text.trim().toLowerCase();
  return jobs.filter(
    (j) =>
      (filter.namespace === '' || j.namespace === filter.namespace) &&
      (filter.state === '' || j.state === filter.state) &&
      (text === '' || [j.jobId, j.namespace, j.cluster].some((field) => field.toLowerCase().includes(text))),
  );
}

/** The distinct values of one field, sorted: the choices of a filter's select. */
export function choicesOf(jobs: readonly ListedJob[], field: 'namespace' | 'state'): string[] {
  return [...new Set(jobs.map((j) => j[field]))].sort();
}
