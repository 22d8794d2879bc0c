// The opaque cursor of GET /api/v1/jobs: the last job id of a page (keyset paging on job_id, so
// jobs added or removed between pages shift nothing) and a fingerprint of the filters it was
// made for, so a cursor cannot silently continue a different query. Pure.
import { createHash } from 'node:crypto';
import { JOB_ID_PATTERN } from '@fjc/contracts';

export interface JobFilters {
  readonly namespaces: readonly string[] | null;
  readonly states: readonly string[] | null;
  readonly selector: string | null;
  readonly text: string | null;
  readonly includeDeleted: boolean;
}

const VERSION = 1;

/** Order-insensitive for lists: "a,b" and "b,a" are one query. */
export function filtersFingerprint(f: JobFilters): string {
  const canonical = JSON.stringify([f.namespaces && [...f.namespaces].sort(), f.states && [...f.states].sort(), f.selector, f.text, f.includeDeleted]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

export function encodeJobCursor(afterJobId: string, filters: JobFilters): string {
  return Buffer.from(JSON.stringify({ v: VERSION, a: afterJobId, f: filtersFingerprint(filters) })).toString('base64url');
}

export type CursorDecode = { readonly ok: true; readonly afterJobId: string } | { readonly ok: false; readonly message: string };

export function decodeJobCursor(cursor: string, filters: JobFilters): CursorDecode {
  let value: unknown;
  try {
    value = /^[A-Za-z0-9_-]+$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    value = undefined;
  }
  const c = value as { v?: unknown; a?: unknown; f?: unknown } | undefined;
  if (typeof c !== 'object' || c === null || c.v !== VERSION || typeof c.a !== 'string' || !JOB_ID_PATTERN.test(c.a) || typeof c.f !== 'string') {
    return { ok: false, message: 'is not a cursor of this API; pass the `next` of a previous page unchanged' };
  }
  if (c.f !== filtersFingerprint(filters)) return { ok: false, message: 'belongs to a query with other filters; pass the same namespace, state, selector, q and includeDeleted as the page it came from' };
  return { ok: true, afterJobId: c.a };
}
