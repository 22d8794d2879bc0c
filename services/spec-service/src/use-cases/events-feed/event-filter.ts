// Which log events a reader gets: by job, by type, by the namespace of the event's job, within
// the namespaces the caller may read. One definition for the feed (as SQL, in its bounded scan)
// and the live stream (in memory, on the batch it read for all its clients). An event of a job
// without a spec has no namespace: only a caller who sees every namespace, and asked for none,
// gets it. Pure.
import type { LogCondition, StoredEvent } from '@fjc/event-log';

export interface EventFilter {
  readonly jobIds: readonly string[] | null;
  readonly types: readonly string[] | null;
  /** null: every namespace, and jobs without a spec. */
  readonly namespaces: readonly string[] | null;
}

export function eventFilterOf(asked: { readonly jobId?: readonly string[]; readonly type?: readonly string[]; readonly namespace?: readonly string[] }, visible: '*' | readonly string[]): EventFilter {
  const namespaces = asked.namespace ?? null;
  return {
    jobIds: asked.jobId ?? null,
    types: asked.type ?? null,
    namespaces: visible === '*' ? namespaces : (namespaces ?? visible).filter((n) => visible.includes(n)),
  };
}

export function eventCondition(f: EventFilter): LogCondition | null {
  if (f.jobIds === null && f.types === null && f.namespaces === null) return null;
  return (param) => {
    const parts: string[] = [];
    if (f.jobIds !== null) parts.push(`e.job_id = any(${param([...f.jobIds])}::text[])`);
    if (f.types !== null) parts.push(`e.type = any(${param([...f.types])}::text[])`);
    if (f.namespaces !== null) parts.push(`e.job_id in (select job_id from job_specs where spec->>'namespace' = any(${param([...f.namespaces])}::text[]))`);
    return parts.join(' and ');
  };
}

/** `namespace`: the namespace of the event's job now, undefined when it has no spec. */
export function eventMatches(f: EventFilter, event: Pick<StoredEvent, 'jobId' | 'type'>, namespace: string | undefined): boolean {
  if (f.jobIds !== null && !f.jobIds.includes(event.jobId)) return false;
  if (f.types !== null && !f.types.includes(event.type)) return false;
  return f.namespaces === null || (namespace !== undefined && f.namespaces.includes(namespace));
}
