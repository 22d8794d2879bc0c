// Retention: the operator's archive of old events (docs/compliance.md). Run with the owner's
// credentials only (`fjc audit archive`); no service role may delete from the log.
//
// In one transaction that holds appends off (EXCLUSIVE lock; reads go on):
//   1. choose, per stream, the prefix of rows recorded before the cutoff that every relay has
//      passed, always keeping the stream's newest row live (the insert trigger links to it);
//   2. write them to an audit file of kind `archive` and fsync it, before anything is deleted;
//   3. record the archive (file name, SHA-256, range digest), move each stream's anchor to its
//      last archived row, and delete exactly the archived rows under `fjc.archive_id`.
// The file verifies alone (verifyAuditFile); the live log verifies from the anchors (verifyChain).
import { createHash, randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { inTransaction } from '../transaction';
import { AUDIT_FORMAT, AUDIT_FORMAT_VERSION, rangeDigestOf, type AuditFile } from './audit-file';
import { AUDIT_COLUMNS, segmentsOf, toAuditEvent, type AuditRow } from './audit-export';

/**
 * Streams that stay live whatever their age: the services read them whole to answer requests
 * and to decide (a job's spec stream holds its versions, the rollback targets and history; a
 * template's versions; a pipeline's definitions and its runs), and they are small (one event per
 * change a person made). Everything else (decisions, actions, observations, ticks) is archived.
 */
export const KEPT_LIVE = /^(spec|template|pipeline)-/;

export interface ArchiveRequest {
  /** Rows recorded before this instant may leave the live log. */
  readonly cutoff: Date;
  /** Directory the archive file is written to. */
  readonly directory: string;
}

export interface ArchiveResult {
  readonly archived: number;
  /** The archive made; null when nothing was old enough. */
  readonly archive: { readonly id: string; readonly file: string; readonly fileSha256: string; readonly rangeDigest: string } | null;
}

export async function archiveLog(owner: Pool, request: ArchiveRequest, now: () => Date = () => new Date()): Promise<ArchiveResult> {
  return inTransaction(owner, async (tx) => {
    await tx.query('lock table event_log in exclusive mode');
    // 1. The rows to archive: per stream, the versions below the first one that must stay.
    const { rows } = await tx.query<AuditRow & { tx_id: string }>(
      `with cp as (select tx_id, position from log_checkpoint order by tx_id, position limit 1),
            c as (
              select e.position, e.stream_id, e.stream_version,
                     e.recorded_at < $1 and e.stream_version < max(e.stream_version) over (partition by e.stream_id)
                       and e.stream_id !~ $2
                       and (cp.tx_id is null or (e.tx_id, e.position) <= (cp.tx_id, cp.position)) as ok
                from event_log e left join cp on true),
            stop as (select stream_id, min(stream_version) as v from c where not ok group by stream_id)
       select ${AUDIT_COLUMNS}, tx_id::text as tx_id from event_log
        where position in (select c.position from c join stop using (stream_id) where c.stream_version < stop.v)
        order by event_log.position`,
      [request.cutoff, KEPT_LIVE.source],
    );
    if (rows.length === 0) return { archived: 0, archive: null };
    // The transaction id is the log's replay order (with the position); not part of the hash.
    const events = rows.map((r) => ({ ...toAuditEvent(r), txId: r.tx_id }));
    const archiveId = randomUUID();
    const file: AuditFile = {
      format: AUDIT_FORMAT,
      formatVersion: AUDIT_FORMAT_VERSION,
      kind: 'archive',
      exportedAt: now().toISOString(),
      range: { from: events.reduce((min, e) => (e.recordedAt < min ? e.recordedAt : min), events[0].recordedAt), to: request.cutoff.toISOString(), namespace: null },
      events,
      omitted: [],
      streams: await segmentsOf(tx, events),
      rangeDigest: rangeDigestOf(events),
    };
    // 2. The file first, durably: nothing leaves the log that is not on disk.
    const text = `${JSON.stringify(file, null, 1)}\n`;
    const fileName = `fjc-archive-${request.cutoff.toISOString().replace(/[:.]/g, '-')}-${archiveId}.json`;
    const path = join(request.directory, fileName);
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    const fileSha256 = createHash('sha256').update(text, 'utf8').digest('hex');
    // 3. The record, the anchors, the deletion.
    await tx.query(
      `insert into event_log_archive (id, cutoff, file_name, file_sha256, range_digest, event_count, first_position, last_position)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [archiveId, request.cutoff, fileName, fileSha256, file.rangeDigest, events.length, events[0].position, events[events.length - 1].position],
    );
    const last = new Map<string, { version: number; hash: string }>();
    for (const e of events) {
      const l = last.get(e.streamId);
      if (!l || l.version < e.streamVersion) last.set(e.streamId, { version: e.streamVersion, hash: e.hash });
    }
    const ids = [...last.keys()];
    await tx.query(
      `insert into event_log_anchor (stream_id, stream_version, hash, archive_id)
       select s, v, decode(h, 'hex'), $4 from unnest($1::text[], $2::int[], $3::text[]) as a(s, v, h)
       on conflict (stream_id) do update set stream_version = excluded.stream_version, hash = excluded.hash, archive_id = excluded.archive_id`,
      [ids, ids.map((id) => last.get(id)?.version), ids.map((id) => last.get(id)?.hash), archiveId],
    );
    await tx.query(`select set_config('fjc.archive_id', $1, true)`, [archiveId]);
    const deleted = await tx.query(`delete from event_log where position = any($1::bigint[])`, [events.map((e) => e.position)]);
    if (deleted.rowCount !== events.length) throw new Error(`FJC_ARCHIVE_MISMATCH: deleted ${deleted.rowCount} rows, archived ${events.length}`);
    return { archived: events.length, archive: { id: archiveId, file: path, fileSha256, rangeDigest: file.rangeDigest } };
  }, { retries: 0 });
}
