// Mapping between event_log rows and StoredEvent.
import type { StoredEvent } from './types';

export const EVENT_COLUMNS =
  'position::text as position, tx_id::text as tx_id, stream_id, stream_version, job_id, event_id, type, schema_version, payload, metadata, occurred_at, recorded_at';

export interface EventRow {
  position: string;
  tx_id: string;
  stream_id: string;
  stream_version: number;
  job_id: string;
  event_id: string;
  type: string;
  schema_version: number;
  payload: unknown;
  metadata: StoredEvent['metadata'];
  occurred_at: Date;
  recorded_at: Date;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: row.position,
    txId: row.tx_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    jobId: row.job_id,
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    payload: row.payload,
    metadata: row.metadata,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
  };
}
