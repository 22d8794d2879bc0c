// The command-line entry of a service's projection rebuild (`fjc log replay --rebuild SERVICE`
// runs it): reads `--after-position N` and `--archive DIR` (or `--live-only`), connects with DATABASE_URL (the owner's rights: a
// rebuild clears tables), reports progress on stderr and a summary on stdout, and exits 1 with
// FJC_REBUILD_FAILED and the reason when anything goes wrong (the rebuild's transaction then
// leaves the projection as it was). It is refused (FJC_REBUILD_SERVICE_RUNNING) while any
// instance of the service runs.
import type { Pool } from 'pg';
import { createPgPool } from './pg-pool';
import type { ProgressReport } from './replay';
import { ArchiveUnreadableError, loadArchivedEvents, recordedArchives } from './audit/archived-events';
import { whileServiceStopped } from './service-presence';
import type { LogCheckpoint, StoredEvent } from './types';

export type Rebuild = (
  pool: Pool,
  options: { from?: LogCheckpoint; onProgress: (p: ProgressReport) => void; archived?: readonly StoredEvent[] },
) => Promise<string>;

export function runRebuildEntry(service: string, rebuild: Rebuild, argv: readonly string[] = process.argv.slice(2)): void {
  main(service, rebuild, argv).catch((err: unknown) => {
    process.stderr.write(`FJC_REBUILD_FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}

async function main(service: string, rebuild: Rebuild, argv: readonly string[]): Promise<void> {
  const at = argv.indexOf('--after-position');
  const position = at >= 0 ? argv[at + 1] : undefined;
  if (at >= 0 && (position === undefined || !/^\d+$/.test(position))) throw new Error(`--after-position must be a whole number, got "${position ?? ''}"`);
  const pool = createPgPool({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/fjc', max: 3, name: 'fjc-rebuild' });
  try {
    let from: LogCheckpoint | undefined;
    if (position !== undefined) {
      const res = await pool.query<{ tx_id: string }>('select tx_id::text as tx_id from event_log where position = $1', [position]);
      if (!res.rows[0]) throw new Error(`no event at position ${position}`);
      from = { txId: res.rows[0].tx_id, position };
    }
    const archived = await archivedEvents(pool, argv);
    // Refused while an instance of the service runs; none starts until it is done.
    const summary = await whileServiceStopped(pool, service, () =>
      rebuild(pool, { from, archived, onProgress: (p) => process.stderr.write(`replayed ${p.done} events (at position ${p.at})\n`) }),
    );
    process.stdout.write(`${summary}\n`);
  } finally {
    await pool.end();
  }
}

/**
 * With `--archive DIR`: the archived events, every recorded archive present and intact. Without
 * it, refused when the log has archives (a rebuild from the live log alone would drop their
 * history without anyone saying so), unless `--live-only` says that is what the operator wants.
 */
async function archivedEvents(pool: Pool, argv: readonly string[]): Promise<StoredEvent[] | undefined> {
  const at = argv.indexOf('--archive');
  if (at >= 0) {
    const dir = argv[at + 1];
    if (dir === undefined || dir.startsWith('--')) throw new Error('--archive needs the directory of the archive files');
    const events = await loadArchivedEvents(pool, dir);
    process.stderr.write(`read ${events.length} archived events from ${dir}\n`);
    return events;
  }
  if (argv.includes('--live-only')) return undefined;
  const archives = await recordedArchives(pool);
  if (archives.length === 0) return undefined;
  const events = archives.reduce((n, a) => n + a.eventCount, 0);
  throw new ArchiveUnreadableError(
    'FJC_REBUILD_ARCHIVE_REQUIRED',
    `the log has ${archives.length} archive(s) of ${events} events (${archives.map((a) => a.fileName).join(', ')}); pass --archive DIR with those files, or --live-only to rebuild from the live log alone`,
  );
}
