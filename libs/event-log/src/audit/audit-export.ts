// Reading an audit file out of the live log: the events recorded in [from, to) (of one
// namespace's jobs, or all), with the hashes of the rest of the range and where each exported
// stream segment ends, so the file proves its own completeness (audit-file.ts).
import type { Queryable } from '../sql';
import { actorOf, AUDIT_FORMAT, AUDIT_FORMAT_VERSION, rangeDigestOf, type AuditEvent, type AuditFile, type StreamSegment } from './audit-file';

export interface AuditRange {
  readonly from: Date;
  readonly to: Date;
  /** Only the jobs whose spec names this namespace; null: every job. */
  readonly namespace: string | null;
}

/** The columns of an audit event, as the texts the hash covers. */
export const AUDIT_COLUMNS = `position::text as position, stream_id, stream_version, job_id, event_id::text as event_id, type,
  schema_version, payload::text as payload, metadata::text as metadata,
  to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as occurred_at,
  to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as recorded_at,
  encode(prev_hash, 'hex') as prev_hash, encode(hash, 'hex') as hash`;

export interface AuditRow {
  position: string;
  stream_id: string;
  stream_version: number;
  job_id: string;
  event_id: string;
  type: string;
  schema_version: number;
  payload: string;
  metadata: string;
  occurred_at: string;
  recorded_at: string;
  prev_hash: string | null;
  hash: string;
}

export function toAuditEvent(r: AuditRow): AuditEvent {
  return {
    position: r.position,
    streamId: r.stream_id,
    streamVersion: r.stream_version,
    jobId: r.job_id,
    eventId: r.event_id,
    type: r.type,
    schemaVersion: r.schema_version,
    actor: actorOf(r.metadata),
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    payload: r.payload,
    metadata: r.metadata,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** Where each stream's exported part ends: the next stored version, if any. */
export async function segmentsOf(q: Queryable, events: readonly AuditEvent[]): Promise<StreamSegment[]> {
  const bounds = new Map<string, { first: number; last: number }>();
  for (const e of events) {
    const b = bounds.get(e.streamId);
    bounds.set(e.streamId, b ? { first: Math.min(b.first, e.streamVersion), last: Math.max(b.last, e.streamVersion) } : { first: e.streamVersion, last: e.streamVersion });
  }
  const ids = [...bounds.keys()];
  const { rows } = await q.query<{ stream_id: string; position: string; stream_version: number; prev_hash: string; hash: string; recorded_at: string }>(
    `select e.stream_id, e.position::text as position, e.stream_version, encode(e.prev_hash, 'hex') as prev_hash, encode(e.hash, 'hex') as hash,
            to_char(e.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as recorded_at
       from unnest($1::text[], $2::int[]) as b(stream_id, next_version)
       join event_log e on e.stream_id = b.stream_id and e.stream_version = b.next_version`,
    [ids, ids.map((id) => (bounds.get(id)?.last ?? 0) + 1)],
  );
  const next = new Map(rows.map((r) => [r.stream_id, r]));
  return ids.sort().map((streamId) => {
    const b = bounds.get(streamId) as { first: number; last: number };
    const n = next.get(streamId);
    return {
      streamId,
      firstVersion: b.first,
      lastVersion: b.last,
      next: n ? { position: n.position, version: n.stream_version, prevHash: n.prev_hash, hash: n.hash, recordedAt: n.recorded_at } : null,
    };
  });
}

/**
 * The audit file of a range. Run it on a connection in a REPEATABLE READ transaction (or a
 * quiet log) so the range and the segments come from one snapshot; a range that ends in the
 * past holds no transaction still open.
 */
export async function exportAudit(q: Queryable, range: AuditRange, now: Date = new Date()): Promise<AuditFile> {
  const { rows } = await q.query<AuditRow & { included: boolean }>(
    `select ${AUDIT_COLUMNS},
            ($3::text is null or job_id in (
               select s.job_id from event_log s where s.type = 'SpecUpdated' and s.payload->'spec'->>'namespace' = $3::text)) as included
       from event_log where recorded_at >= $1 and recorded_at < $2
      order by event_log.position`,
    [range.from, range.to, range.namespace],
  );
  const events = rows.filter((r) => r.included).map(toAuditEvent);
  const omitted = rows.filter((r) => !r.included).map((r) => ({ position: r.position, hash: r.hash }));
  return {
    format: AUDIT_FORMAT,
    formatVersion: AUDIT_FORMAT_VERSION,
    kind: 'export',
    exportedAt: now.toISOString(),
    range: { from: range.from.toISOString(), to: range.to.toISOString(), namespace: range.namespace },
    events,
    omitted,
    streams: await segmentsOf(q, events),
    rangeDigest: rangeDigestOf(rows),
  };
}
