// `fjc log verify|replay|republish`: the recovery tools on the event log, run against the
// database (DATABASE_URL or --database-url) and, for republish, Kafka (KAFKA_BROKERS).
//   verify     checks the hash chain; names the first row that no longer matches (exit 1)
//   replay     writes the log's events in log order as JSON lines (from the start or a position),
//              or with --rebuild SERVICE rebuilds that service's projections from them
//   republish  sends a position range of the log to its topics again (consumers dedupe by id)
// Progress goes to stderr, so stdout stays clean for pipes.
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Pool } from 'pg';
import type { Command } from 'commander';
import { EVENT_CATALOG, isEventType, topicRegistry } from '@fjc/contracts';
import { createPgPool, loadArchivedEvents, replayLog, republishLog, toEnvelope, verifyChain, type LogCheckpoint } from '@fjc/event-log';
import { kafkaSecurityFromEnv } from '@fjc/messaging';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { entriesOf, runServiceEntry } from '../service-entries';

interface DbOptions {
  databaseUrl?: string;
}

function pool(options: DbOptions): Pool {
  return createPgPool({ connectionString: options.databaseUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/fjc', max: 2, name: 'fjc-cli' });
}

export function registerLog(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  const log = program.command('log').description('verify, replay or republish the event log (needs DATABASE_URL)');

  log
    .command('verify')
    .description('check the hash chain of the event log')
    .option('--database-url <url>', 'PostgreSQL URL (default: DATABASE_URL)')
    .action(async (options: DbOptions) => {
      const db = pool(options);
      try {
        const report = await verifyChain(db, (checked) => io.err(`verified ${checked} events\n`));
        if (report.ok) {
          io.out(`ok: ${report.checked} events, hash chain intact\n`);
          finish(EXIT.ok);
        } else {
          const bad = report.firstBad;
          io.out(`FJC_LOG_CHAIN_BROKEN: position ${bad.position} (${bad.streamId} version ${bad.streamVersion}): ${bad.reason}\n`);
          finish(EXIT.invalid);
        }
      } finally {
        await db.end();
      }
    });

  log
    .command('replay')
    .description('write every event after a position, in log order, as one JSON envelope per line')
    .option('--database-url <url>', 'PostgreSQL URL (default: DATABASE_URL)')
    .option('--after-position <n>', 'start after this global position (default: the beginning)')
    .option('--rebuild <service>', `rebuild a service's projections instead of printing (${Object.keys(REBUILDERS).join(', ')})`)
    .option('--archive <dir>', 'also read the archived events from the files `fjc audit archive` wrote there (every recorded archive must be present and intact)')
    .option('--live-only', 'rebuild from the live log alone even though part of it was archived')
    .action(async (options: DbOptions & { afterPosition?: string; rebuild?: string; archive?: string; liveOnly?: boolean }) => {
      if (options.rebuild !== undefined) return finish(rebuild(options.rebuild, options, io));
      const db = pool(options);
      try {
        // Log order is (transaction id, position): resume right after that event in it.
        const from: LogCheckpoint | undefined = options.afterPosition ? await checkpointAt(db, options.afterPosition) : undefined;
        const archived = options.archive !== undefined ? await loadArchivedEvents(db, options.archive) : undefined;
        const result = await replayLog(db, (e) => io.out(JSON.stringify({ position: e.position, ...toEnvelope(e) }) + '\n'), {
          from,
          archived,
          onProgress: (p) => io.err(`replayed ${p.done} events (at position ${p.at})\n`),
        });
        io.err(`done: ${result.replayed} events\n`);
        finish(EXIT.ok);
      } finally {
        await db.end();
      }
    });

  log
    .command('republish')
    .description('publish a position range of the log to its Kafka topics again')
    .option('--database-url <url>', 'PostgreSQL URL (default: DATABASE_URL)')
    .option('--brokers <list>', 'Kafka brokers (default: KAFKA_BROKERS or 127.0.0.1:9092)')
    .option('--topic-prefix <prefix>', 'topic prefix (default: FJC_TOPIC_PREFIX or "fjc.")')
    .option('--from-position <n>', 'first position (default 1)')
    .option('--to-position <n>', 'last position (default: the end)')
    .action(async (options: DbOptions & { brokers?: string; topicPrefix?: string; fromPosition?: string; toPosition?: string }) => {
      const db = pool(options);
      const topics = topicRegistry(options.topicPrefix ?? process.env.FJC_TOPIC_PREFIX);
      const kafka = new Kafka({ clientId: 'fjc-cli', brokers: (options.brokers ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), ...kafkaSecurityFromEnv(), logLevel: logLevel.ERROR });
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      try {
        const result = await republishLog(db, producer, (e) => {
          const topic = isEventType(e.type) ? EVENT_CATALOG[e.type].topic : null;
          return topic === null ? null : topics[topic].name;
        }, {
          fromPosition: options.fromPosition,
          toPosition: options.toPosition,
          onProgress: (p) => io.err(`republished ${p.done} events (at position ${p.at})\n`),
        });
        io.out(`republished ${result.republished} events\n`);
        finish(EXIT.ok);
      } finally {
        await producer.disconnect();
        await db.end();
      }
    });
}

/** Services whose projections can be rebuilt, and the entry point that does it. */
const REBUILDERS = entriesOf('rebuild-main.js');

function rebuild(service: string, options: DbOptions & { afterPosition?: string; archive?: string; liveOnly?: boolean }, io: CliIo): ExitCode {
  const entry = REBUILDERS[service];
  if (!entry) {
    io.err(`fjc: --rebuild: unknown service "${service}"; one of: ${Object.keys(REBUILDERS).join(', ')}\n`);
    return EXIT.usage;
  }
  const args = [
    ...(options.afterPosition ? ['--after-position', options.afterPosition] : []),
    ...(options.archive !== undefined ? ['--archive', options.archive] : []),
    ...(options.liveOnly ? ['--live-only'] : []),
  ];
  return runServiceEntry(entry, args, options.databaseUrl, io);
}

async function checkpointAt(db: Pool, position: string): Promise<LogCheckpoint> {
  if (!/^\d+$/.test(position)) throw new Error(`--after-position must be a whole number, got "${position}"`);
  const res = await db.query<{ tx_id: string }>('select tx_id::text as tx_id from event_log where position = $1', [position]);
  const txId = res.rows[0]?.tx_id;
  if (txId === undefined) throw new Error(`no event at position ${position}`);
  return { txId, position };
}
