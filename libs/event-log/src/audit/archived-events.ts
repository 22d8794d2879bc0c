// Reading the operator's archives back for a rebuild (`fjc log replay --rebuild SERVICE --archive
// DIR`): every archive recorded in event_log_archive must be in DIR, byte for byte the file that
// was recorded (its SHA-256), and verify alone; its events come back as stored events, in the
// log's replay order, for replayLog to merge in before the live log's.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Queryable } from '../sql';
import { compareCheckpoints } from '../read';
import type { EventMetadata, StoredEvent } from '../types';
import { verifyAuditFile, type AuditEvent, type AuditFile } from './audit-file';

export class ArchiveUnreadableError extends Error {
  constructor(
    readonly code: 'FJC_REBUILD_ARCHIVE_REQUIRED' | 'FJC_REBUILD_ARCHIVE_MISSING' | 'FJC_REBUILD_ARCHIVE_MISMATCH' | 'FJC_REBUILD_ARCHIVE_INVALID',
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export interface RecordedArchive {
  readonly fileName: string;
  readonly fileSha256: string;
  readonly eventCount: number;
}

/** The archives the log has recorded, oldest first. */
export async function recordedArchives(q: Queryable): Promise<RecordedArchive[]> {
  const res = await q.query<{ file_name: string; file_sha256: string; event_count: number }>(
    'select file_name, file_sha256, event_count from event_log_archive order by first_position',
  );
  return res.rows.map((r) => ({ fileName: r.file_name, fileSha256: r.file_sha256, eventCount: r.event_count }));
}

/** Every recorded archive's events from `directory`, checked, in replay order (transaction id, position). */
export async function loadArchivedEvents(q: Queryable, directory: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (const archive of await recordedArchives(q)) {
    const path = join(directory, archive.fileName);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      throw new ArchiveUnreadableError('FJC_REBUILD_ARCHIVE_MISSING', `archive ${archive.fileName} (${archive.eventCount} events) is not in ${directory}`);
    }
    const sha = createHash('sha256').update(text, 'utf8').digest('hex');
    if (sha !== archive.fileSha256) throw new ArchiveUnreadableError('FJC_REBUILD_ARCHIVE_MISMATCH', `${path} has SHA-256 ${sha}, the log recorded ${archive.fileSha256}`);
    let file: AuditFile;
    try {
      file = JSON.parse(text) as AuditFile;
    } catch (err) {
      throw new ArchiveUnreadableError('FJC_REBUILD_ARCHIVE_INVALID', `${path} is not JSON: ${(err as Error).message}`);
    }
    const verdict = verifyAuditFile(file);
    if (!verdict.ok) throw new ArchiveUnreadableError('FJC_REBUILD_ARCHIVE_INVALID', `${path}: ${verdict.code}: ${verdict.message}`);
    if (file.kind !== 'archive') throw new ArchiveUnreadableError('FJC_REBUILD_ARCHIVE_INVALID', `${path} is an export, not an archive`);
    for (const e of file.events) events.push(toStored(e));
  }
  return events.sort((a, b) => compareCheckpoints(a, b));
}

function toStored(e: AuditEvent): StoredEvent {
  return {
    position: e.position,
    // Archives written before transaction ids were recorded replay before every live event.
    txId: e.txId ?? '0',
    streamId: e.streamId,
    streamVersion: e.streamVersion,
    jobId: e.jobId,
    eventId: e.eventId,
    type: e.type,
    schemaVersion: e.schemaVersion,
    payload: JSON.parse(e.payload) as unknown,
    metadata: JSON.parse(e.metadata) as EventMetadata,
    occurredAt: new Date(`${e.occurredAt}Z`),
    recordedAt: new Date(e.recordedAt),
  };
}
