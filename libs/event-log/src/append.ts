// Appending to a stream: raw, insert-only SQL with an expected version. Run it inside the
// caller's transaction so the events commit atomically with the caller's own state.
// Expected outcomes (version conflict, re-sent events) come back as values.
import type { Queryable } from './sql';
import { PG, pgCode, pgConstraint } from './sql';
import type { AppendResult, ExpectedVersion, NewEvent } from './types';

export async function appendToStream(
  tx: Queryable,
  streamId: string,
  expected: ExpectedVersion,
  events: readonly NewEvent[],
): Promise<AppendResult> {
  if (events.length === 0) throw new Error('appendToStream needs at least one event');
  for (const e of events) assertEventSize(e);

  // 1. Re-sent events: all already stored means success without a second write.
  const ids = events.map((e) => e.eventId);
  const existing = await tx.query<{ event_id: string; stream_id: string; stream_version: number }>(
    'select event_id, stream_id, stream_version from event_log where event_id = any($1::uuid[])',
    [ids],
  );
  if (existing.rows.length === events.length) {
    return { status: 'duplicate', streamVersion: Math.max(...existing.rows.map((r) => r.stream_version)) };
  }
  if (existing.rows.length > 0) {
    throw new Error(`FJC_LOG_PARTIAL_DUPLICATE: events ${existing.rows.map((r) => r.event_id).join(', ')} are already stored; re-send the whole batch or none of it`);
  }

  // 2. The stream's current version against the expectation.
  const current = await currentVersion(tx, streamId);
  const expectedNumber = expected === 'no-stream' ? 0 : expected;
  if (expectedNumber !== 'any' && expectedNumber !== current) {
    return { status: 'conflict', code: 'FJC_VERSION_CONFLICT', expectedVersion: expected, actualVersion: current };
  }

  // 3. Insert under a savepoint so a lost race becomes a value and the caller's
  //    transaction stays usable.
  await tx.query('savepoint fjc_append');
  try {
    const inserted = await tx.query<{ position: string }>(
      `insert into event_log (stream_id, stream_version, job_id, event_id, type, schema_version, payload, metadata, occurred_at, hash)
       select $1, $2 + e.ord, e.job_id, e.event_id, e.type, e.schema_version, e.payload, e.metadata, e.occurred_at, ''::bytea
       from jsonb_to_recordset($3::jsonb) as e(job_id text, event_id uuid, type text, schema_version int,
            payload jsonb, metadata jsonb, occurred_at timestamptz, ord int)
       order by e.ord
       returning position::text as position`,
      [streamId, current, JSON.stringify(events.map((e, i) => toRecord(e, i + 1)))],
    );
    await tx.query('release savepoint fjc_append');
    return { status: 'appended', streamVersion: current + events.length, positions: inserted.rows.map((r) => r.position) };
  } catch (err) {
    await tx.query('rollback to savepoint fjc_append');
    if (pgCode(err) === PG.uniqueViolation) {
      if (pgConstraint(err) === 'event_log_event_id_uq') {
        return { status: 'duplicate', streamVersion: await currentVersion(tx, streamId) };
      }
      return { status: 'conflict', code: 'FJC_VERSION_CONFLICT', expectedVersion: expected, actualVersion: await currentVersion(tx, streamId) };
    }
    throw err;
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
