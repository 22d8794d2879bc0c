// Appending to a stream: raw, insert-only SQL with an expected version. Run it inside the
// caller's transaction so the events commit atomically with the caller's own state.
// Expected outcomes (version conflict, re-sent events) come back as values.
import type { Queryable } from './sql';
import type { AppendResult, ExpectedVersion, NewEvent } from './types';

export async function appendToStream(
  tx: Queryable,
  streamId: string,
  expected: ExpectedVersion,
  events: readonly NewEvent[],
): Promise<AppendResult> {
  if (events.length === 0) throw new Error('appendToStream needs at least one event');
  for (const e of events) assertEventSize(e);

  // One statement (event_log_append, migration 1772400000000): 1. re-sent events, all already
  // stored, are success without a second write; 2. the stream's current version against the
  // expectation; 3. the insert in a subtransaction, so a lost race becomes a value and the
  // caller's transaction stays usable.
  const expectedNumber = expected === 'no-stream' ? 0 : expected;
  const res = await tx.query<{ status: string; stream_version: number | null; positions: string[] | null; duplicate_ids: string[] | null }>(
    'select status, stream_version, positions::text[] as positions, duplicate_ids from event_log_append($1, $2, $3::jsonb)',
    [streamId, expectedNumber === 'any' ? null : expectedNumber, JSON.stringify(events.map((e, i) => toRecord(e, i + 1)))],
  );
  const row = res.rows[0];
  if (!row) throw new Error('event_log_append returned no row');
  switch (row.status) {
    case 'appended':
      return { status: 'appended', streamVersion: row.stream_version ?? 0, positions: row.positions ?? [] };
    case 'duplicate':
      return { status: 'duplicate', streamVersion: row.stream_version ?? 0 };
    case 'conflict':
      return { status: 'conflict', code: 'FJC_VERSION_CONFLICT', expectedVersion: expected, actualVersion: row.stream_version ?? 0 };
    case 'partial':
      throw new Error(`FJC_LOG_PARTIAL_DUPLICATE: events ${(row.duplicate_ids ?? []).join(', ')} are already stored; re-send the whole batch or none of it`);
    default:
      throw new Error(`event_log_append returned an unknown status ${row.status}`);
  }
}

/** No event may come near Kafka's message limit (1 MiB by default), or the relay could never
 *  publish it and every later event would wait behind it. FJC_MAX_EVENT_BYTES, 512 KiB by default. */
export const DEFAULT_MAX_EVENT_BYTES = 512 * 1024;

export function maxEventBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FJC_MAX_EVENT_BYTES;
  const value = raw === undefined || raw === '' ? DEFAULT_MAX_EVENT_BYTES : Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`FJC_MAX_EVENT_BYTES must be a positive integer, got "${raw}"`);
  return value;
}

export class EventTooLargeError extends Error {
  readonly code = 'FJC_EVENT_TOO_LARGE';
  constructor(readonly type: string, readonly bytes: number, readonly limit: number) {
    super(`FJC_EVENT_TOO_LARGE: a ${type} event of ${bytes} bytes is over the limit of ${limit} bytes (FJC_MAX_EVENT_BYTES); nothing was appended`);
    this.name = 'EventTooLargeError';
  }
}

function assertEventSize(e: NewEvent): void {
  const limit = maxEventBytes();
  const bytes = Buffer.byteLength(JSON.stringify(e.payload) ?? '', 'utf8') + Buffer.byteLength(JSON.stringify(e.metadata) ?? '', 'utf8');
  if (bytes > limit) throw new EventTooLargeError(e.type, bytes, limit);
}

export async function currentVersion(tx: Queryable, streamId: string): Promise<number> {
  const res = await tx.query<{ v: number | null }>('select max(stream_version) as v from event_log where stream_id = $1', [streamId]);
  return res.rows[0]?.v ?? 0;
}

function toRecord(e: NewEvent, ord: number) {
  return {
    ord,
    job_id: e.jobId,
    event_id: e.eventId,
    type: e.type,
    schema_version: e.schemaVersion,
    payload: e.payload,
    metadata: e.metadata,
    occurred_at: e.occurredAt.toISOString(),
  };
}
