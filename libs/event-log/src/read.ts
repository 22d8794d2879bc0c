// Reading the log in an order that never skips a late commit.
//
// Positions come from a sequence when a row is inserted, but transactions commit in any order,
// so "position > P" can pass over a row whose transaction is still open. Readers therefore
// order by (tx_id, position) and only see rows of transactions older than the oldest one still
// running (pg_snapshot_xmin): every such transaction has finished, so no row can appear later
// below the checkpoint. A rolled-back transaction simply stops holding xmin back.
import type { Queryable } from './sql';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './row';
import type { LogCheckpoint, StoredEvent } from './types';

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
