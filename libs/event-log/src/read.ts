// Reading the log in an order that never skips a late commit.
//
// Positions come from a sequence when a row is inserted, but transactions commit in any order,
// so "position > P" can pass over a row whose transaction is still open. Readers therefore
// order by (tx_id, position) and only see rows of transactions older than the oldest one still
// running (pg_snapshot_xmin): every such transaction has finished, so no row can appear later
// below the checkpoint. A rolled-back transaction simply stops holding xmin back.
import type { Queryable } from './sql';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './row';
import { LOG_START, type LogCheckpoint, type StoredEvent } from './types';

export interface LogPage {
  readonly events: readonly StoredEvent[];
  /** Where the next read starts; unchanged when the page is empty. */
  readonly next: LogCheckpoint;
}

export async function readLogAfter(q: Queryable, after: LogCheckpoint, limit: number): Promise<LogPage> {
  const res = await q.query<EventRow>(
    `select ${EVENT_COLUMNS} from event_log
      where (tx_id, position) > ($1::xid8, $2::bigint)
        and tx_id < pg_snapshot_xmin(pg_current_snapshot())
      order by event_log.tx_id, event_log.position
      limit $3`,
    [after.txId, after.position, limit],
  );
  const events = res.rows.map(toStoredEvent);
  const last = events.at(-1);
  return { events, next: last ? { txId: last.txId, position: last.position } : after };
}

/** True when committed events after `after` are not yet readable: an older transaction is still open (readLogAfter will return them once it ends). */
export async function hasHeldBackEvents(q: Queryable, after: LogCheckpoint): Promise<boolean> {
  const res = await q.query<{ held: boolean }>(
    `select exists (select 1 from event_log
                     where (tx_id, position) > ($1::xid8, $2::bigint)
                       and tx_id >= pg_snapshot_xmin(pg_current_snapshot())) as held`,
    [after.txId, after.position],
  );
  return res.rows[0]?.held === true;
}

/** Log order of two checkpoints: negative, zero or positive like a comparator. */
export function compareCheckpoints(a: LogCheckpoint, b: LogCheckpoint): number {
  const tx = BigInt(a.txId) - BigInt(b.txId);
  if (tx !== 0n) return tx < 0n ? -1 : 1;
  const pos = BigInt(a.position) - BigInt(b.position);
  return pos === 0n ? 0 : pos < 0n ? -1 : 1;
}

/** The checkpoint of the event at a position (what a reader that last saw it continues after); null when no event has it. */
export async function checkpointAtPosition(q: Queryable, position: string): Promise<LogCheckpoint | null> {
  if (position === '0') return LOG_START;
  const res = await q.query<{ tx_id: string }>('select tx_id::text as tx_id from event_log where position = $1::bigint', [position]);
  const row = res.rows[0];
  return row ? { txId: row.tx_id, position } : null;
}

/** The last event a reader can see now (readLogAfter's horizon): reading on from it yields only events that become readable later. */
export async function readableHead(q: Queryable): Promise<LogCheckpoint> {
  const res = await q.query<{ tx_id: string; position: string }>(
    `select tx_id::text as tx_id, position::text as position from event_log
      where tx_id < pg_snapshot_xmin(pg_current_snapshot())
      order by tx_id desc, position desc limit 1`,
  );
  const row = res.rows[0];
  return row ? { txId: row.tx_id, position: row.position } : LOG_START;
}

/** A condition on event_log rows (alias e), written with placeholders from `param`. */
export type LogCondition = (param: (value: unknown) => string) => string;

/**
 * readLogAfter with a condition: scans at most `scan` events in log order and returns the first
 * `limit` of them that match. `next` is the last event considered (the last match when the page
 * is full, else the last scanned event), so a sparse filter costs a bounded scan per page and
 * paging never stalls; the same never-skip rule as readLogAfter holds. `end` is true when the
 * scan reached what is readable now.
 */
export async function readLogMatching(
  q: Queryable,
  after: LogCheckpoint,
  options: { readonly limit: number; readonly scan: number; readonly where: LogCondition | null },
): Promise<LogPage & { readonly end: boolean }> {
  const values: unknown[] = [after.txId, after.position, options.scan, options.limit];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  const condition = options.where ? options.where(param) : 'true';
  // One statement, one snapshot: the window of scanned events, where it ends, and the matches in it.
  const res = await q.query<EventRow & { scan_tx: string; scan_position: string; scanned: string }>(
    `with scanned as materialized (
       select * from event_log
        where (tx_id, position) > ($1::xid8, $2::bigint)
          and tx_id < pg_snapshot_xmin(pg_current_snapshot())
        order by tx_id, position
        limit $3),
     tail as (select tx_id::text as scan_tx, position::text as scan_position, (select count(*) from scanned)::text as scanned
                from scanned order by tx_id desc, position desc limit 1),
     matched as (select ${EVENT_COLUMNS}, e.tx_id as k_tx, e.position as k_pos
                   from scanned e where ${condition}
                   order by e.tx_id, e.position limit $4)
     select tail.*, matched.* from tail left join matched on true order by matched.k_tx, matched.k_pos`,
    values,
  );
  const tail = res.rows[0];
  if (!tail) return { events: [], next: after, end: true };
  const events = res.rows.filter((r) => r.position !== null).map(toStoredEvent);
  const last = events.at(-1);
  const full = events.length >= options.limit;
  return {
    events,
    next: full && last ? { txId: last.txId, position: last.position } : { txId: tail.scan_tx, position: tail.scan_position },
    end: !full && Number(tail.scanned) < options.scan,
  };
}

/** Every event of one job, across all its streams, in log order: the audit trail. */
export async function readJobEvents(q: Queryable, jobId: string): Promise<StoredEvent[]> {
  const res = await q.query<EventRow>(`select ${EVENT_COLUMNS} from event_log where job_id = $1 order by event_log.tx_id, event_log.position`, [jobId]);
  return res.rows.map(toStoredEvent);
}

/** One stream in version order, optionally from a version on. */
export async function readStream(q: Queryable, streamId: string, fromVersion = 1): Promise<StoredEvent[]> {
  const res = await q.query<EventRow>(
    `select ${EVENT_COLUMNS} from event_log where stream_id = $1 and stream_version >= $2 order by stream_version`,
    [streamId, fromVersion],
  );
  return res.rows.map(toStoredEvent);
}

/** Events by global position range [from, to], for republishing and the public events feed. */
export async function readPositions(q: Queryable, fromPosition: string, toPosition: string | null, limit: number): Promise<StoredEvent[]> {
  const res = await q.query<EventRow>(
    `select ${EVENT_COLUMNS} from event_log
      where position >= $1::bigint and ($2::bigint is null or position <= $2::bigint)
        and tx_id < pg_snapshot_xmin(pg_current_snapshot())
      order by event_log.position limit $3`,
    [fromPosition, toPosition, limit],
  );
  return res.rows.map(toStoredEvent);
}

export async function loadCheckpoint(q: Queryable, name: string, lock = false): Promise<LogCheckpoint | null> {
  const res = await q.query<{ tx_id: string; position: string }>(
    `select tx_id::text as tx_id, position::text as position from log_checkpoint where name = $1${lock ? ' for update' : ''}`,
    [name],
  );
  const row = res.rows[0];
  return row ? { txId: row.tx_id, position: row.position } : null;
}

export async function saveCheckpoint(q: Queryable, name: string, at: LogCheckpoint): Promise<void> {
  await q.query(
    `insert into log_checkpoint (name, tx_id, position) values ($1, $2::xid8, $3::bigint)
     on conflict (name) do update set tx_id = excluded.tx_id, position = excluded.position, updated_at = now()`,
    [name, at.txId, at.position],
  );
}
