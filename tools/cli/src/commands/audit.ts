// `fjc audit export|verify|archive`: compliance on the event log (docs/compliance.md), run
// against the database (DATABASE_URL or --database-url).
//   export   writes the events recorded in [--from, --to) (of one --namespace, or all) with their
//            actors and the hash-chain proof of completeness, to --out or stdout
//   verify   checks an export or archive file alone, no database; names the first bad event (exit 1)
//   archive  moves events older than --older-than to a file in --dir and anchors the chain; the
//            operator's act, with the owner's credentials (services cannot delete from the log)
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { PoolClient } from 'pg';
import { archiveLog, createPgPool, exportAudit, verifyAuditFile } from '@fjc/event-log';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';

interface ExportOptions {
  databaseUrl?: string;
  from: string;
  to: string;
  namespace?: string;
  out?: string;
}

function dbUrl(databaseUrl: string | undefined): string {
  return databaseUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/fjc';
}

function instant(flag: string, text: string): Date {
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw new AuditUsageError(`${flag}: "${text}" is not an ISO-8601 time`);
  return at;
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30d`, `12h`, `90m`, `45s`. */
export function parseAge(text: string): number {
  const m = /^(\d+)([smhd])$/.exec(text);
  if (!m) throw new AuditUsageError(`--older-than: "${text}" is not an age like 30d, 12h, 90m or 45s`);
  return Number(m[1]) * UNITS[m[2]];
}

class AuditUsageError extends Error {
  readonly code = 'FJC_CLI_USAGE';
}

export function registerAudit(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  const audit = program.command('audit').description('export, verify or archive the audit trail (needs DATABASE_URL, but verify)');
  const usage = (err: unknown): boolean => {
    if (!(err instanceof AuditUsageError)) return false;
    io.err(`fjc: ${err.message}\n`);
    finish(EXIT.usage);
    return true;
  };

  audit
    .command('export')
    .description('write the events of a time range with actors and the proof of completeness (JSON)')
    .requiredOption('--from <time>', 'first recorded time, inclusive (ISO-8601)')
    .requiredOption('--to <time>', 'last recorded time, exclusive (ISO-8601)')
    .option('--namespace <ns>', 'only the jobs of this namespace (the rest of the range is kept as hashes)')
    .option('--out <file>', 'write to this file (default: stdout)')
    .option('--database-url <url>', 'PostgreSQL URL (default: DATABASE_URL)')
    .action(async (options: ExportOptions) => {
      let range;
      try {
        range = { from: instant('--from', options.from), to: instant('--to', options.to), namespace: options.namespace ?? null };
      } catch (err) {
        if (usage(err)) return;
        throw err;
      }
      const db = createPgPool({ connectionString: dbUrl(options.databaseUrl), max: 1, name: 'fjc-cli' });
      let client: PoolClient | undefined;
      try {
        client = await db.connect();
        // One snapshot for the range and the segment ends.
        await client.query('begin isolation level repeatable read read only');
        const file = await exportAudit(client, range);
        await client.query('commit');
        const text = `${JSON.stringify(file, null, 1)}\n`;
        if (options.out) writeFileSync(options.out, text, { flag: 'wx' });
        else io.out(text);
        io.err(`exported ${file.events.length} events (${file.omitted.length} of other namespaces as hashes), range digest ${file.rangeDigest}\n`);
        finish(EXIT.ok);
      } finally {
        client?.release();
        await db.end();
      }
    });

  audit
    .command('verify')
    .description('check an export or archive file on its own: every hash, link and segment end')
    .argument('<file>', 'the file written by fjc audit export or archive')
    .action((path: string) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(path, 'utf8'));
      } catch (err) {
        io.out(`FJC_AUDIT_FILE_INVALID: ${path}: ${(err as Error).message}\n`);
        return finish(EXIT.invalid);
      }
      const verdict = verifyAuditFile(parsed);
      if (verdict.ok) {
        io.out(`ok: ${verdict.events} events in ${verdict.streams} streams (${verdict.omitted} omitted as hashes), range digest ${verdict.rangeDigest}\n`);
        finish(EXIT.ok);
      } else {
        io.out(`${verdict.code}: ${verdict.message}\n`);
        finish(EXIT.invalid);
      }
    });

  audit
    .command('archive')
    .description('move events older than an age to an archive file and anchor the chain (the owner\'s DATABASE_URL)')
    .requiredOption('--older-than <age>', 'archive events recorded before now minus this age (30d, 12h, 90m, 45s)')
    .requiredOption('--dir <directory>', 'where the archive file is written')
    .option('--database-url <url>', 'the owner\'s PostgreSQL URL (default: DATABASE_URL)')
    .action(async (options: { olderThan: string; dir: string; databaseUrl?: string }) => {
      let age: number;
      try {
        age = parseAge(options.olderThan);
      } catch (err) {
        if (usage(err)) return;
        throw err;
      }
      const db = createPgPool({ connectionString: dbUrl(options.databaseUrl), max: 1, name: 'fjc-archive' });
      try {
        const result = await archiveLog(db, { cutoff: new Date(Date.now() - age), directory: options.dir });
        const made = result.archive;
        if (made === null) io.out('nothing to archive\n');
        else io.out(`archived ${result.archived} events to ${made.file} (sha256 ${made.fileSha256}, range digest ${made.rangeDigest})\n`);
        finish(EXIT.ok);
      } finally {
        await db.end();
      }
    });
}
