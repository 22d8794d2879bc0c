// Benchmark of the event log (not a test): append throughput, relay throughput and replay
// speed, beside the physical limits measured in the same run: raw single-row INSERT+COMMIT rate
// of this PostgreSQL and the Kafka producer perf tool's rate against this broker.
// Run with `npm run bench`; prints a markdown table and writes it to docs/benchmarks.md.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { createTestDatabase, stackEnv, uniqueSuffix } from '@fjc/testing';
import { LogRelay, appendToStream, databaseOf, inTransaction, migrateDatabase, provisionServiceRole, replayLog, roleUrl, serviceRoleName, type NewEvent } from '../src';

const ROOT = join(__dirname, '..', '..', '..');
const WRITERS = 8;
const APPENDS = Number(process.env.BENCH_APPENDS ?? 20_000);
const PAYLOAD = { note: 'x'.repeat(200), n: 0 };

function progress(msg: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} [bench] ${msg}\n`);
}

async function timed(label: string, count: number, work: () => Promise<void>): Promise<{ label: string; count: number; seconds: number; rate: number }> {
  progress(`${label}: ${count} ...`);
  const start = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = count / seconds;
  progress(`${label}: ${rate.toFixed(0)}/s`);
  return { label, count, seconds, rate };
}

async function parallel(total: number, writers: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: writers }, async () => {
    for (let i = next++; i < total; i = next++) await one(i);
  }));
}

function event(jobId: string): NewEvent {
  return {
    eventId: randomUUID(), type: 'BenchHappened', schemaVersion: 1, jobId, payload: PAYLOAD,
    metadata: { producer: 'bench', actor: { kind: 'service', id: 'bench' }, correlationId: randomUUID(), causationId: null },
    occurredAt: new Date(),
  };
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  await migrateDatabase(db.url);
  const owner = new Pool({ connectionString: db.url, max: WRITERS });
  const role = serviceRoleName('bench', databaseOf(db.url));
  await provisionServiceRole(owner, role, { service: 'bench', eventTypes: ['BenchHappened'], tables: {} });
  const appUrl = roleUrl(db.url, role);
  const app = new Pool({ connectionString: appUrl, max: WRITERS + 2 });
  const brokers = stackEnv('KAFKA_BROKERS');
  const kafka = new Kafka({ clientId: 'bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const rows: Array<{ label: string; count: number; seconds: number; rate: number }> = [];
  try {
    await owner.query('create table raw_insert (id bigserial primary key, payload jsonb not null)');
    rows.push(await timed(`PostgreSQL raw INSERT+COMMIT, one row per transaction, ${WRITERS} connections`, APPENDS, () =>
      parallel(APPENDS, WRITERS, async () => void (await owner.query('insert into raw_insert (payload) values ($1)', [PAYLOAD]))),
    ));
    // The same with the BEGIN and COMMIT round trips an append inside a caller's transaction has.
    rows.push(await timed(`PostgreSQL raw BEGIN, INSERT, COMMIT, one row per transaction, ${WRITERS} connections`, APPENDS, () =>
      parallel(APPENDS, WRITERS, async () => void (await inTransaction(owner, (tx) => tx.query('insert into raw_insert (payload) values ($1)', [PAYLOAD])))),
    ));

    const versions = new Map<string, number>();
    rows.push(await timed(`appendToStream, one event per transaction, ${WRITERS} writers on 64 streams`, APPENDS, () =>
      parallel(APPENDS, WRITERS, async (i) => {
        const stream = `bench-${i % 64}`;
        for (;;) {
          const r = await inTransaction(app, (tx) => appendToStream(tx, stream, versions.get(stream) ?? 0, [event(stream)]));
          if (r.status === 'appended') return void versions.set(stream, r.streamVersion);
          versions.set(stream, r.status === 'conflict' ? r.actualVersion : versions.get(stream) ?? 0);
        }
      }),
    ));

    const topic = `fjc-bench.relay.${uniqueSuffix()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 12 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const relay = new LogRelay(app, producer, { name: 'bench', connectionString: appUrl, topicFor: () => topic, batchSize: 1000 });
    rows.push(await timed('relay: log -> Kafka (acks=all, idempotent), batches of 1000', APPENDS, async () => {
      while (relay.published < APPENDS) if ((await relay.relayOnce()) === 0) break;
    }));
    await producer.disconnect();

    rows.push(await timed('replay: read the whole log in order, batches of 1000', APPENDS, async () => {
      const r = await replayLog(app, () => undefined, { batchSize: 1000 });
      if (r.replayed !== APPENDS) throw new Error(`replayed ${r.replayed} of ${APPENDS}`);
    }));

    const perf = kafkaProducerPerf(brokers, APPENDS * 5);
    rows.push(perf);
  } finally {
    await Promise.all([owner.end(), app.end()]);
    await db.drop();
  }
  report(rows);
}

function kafkaProducerPerf(brokers: string, records: number): { label: string; count: number; seconds: number; rate: number } {
  progress(`Kafka ProducerPerformance: ${records} records of 512 bytes ...`);
  const out = execFileSync('bash', ['-c', `source infra/lib/common.sh && source infra/kafka/kafka.sh && KAFKA_TOOL_OPTS=-Xmx512m kafka_tool org.apache.kafka.tools.ProducerPerformance --topic fjc-bench.perf.${uniqueSuffix()} --num-records ${records} --record-size 512 --throughput -1 --producer-props bootstrap.servers=${brokers} acks=all`], { cwd: ROOT, encoding: 'utf8' });
  const last = out.trim().split('\n').at(-1) ?? '';
  const m = /([\d.]+) records\/sec/.exec(last);
  if (!m) throw new Error(`could not read ProducerPerformance output: ${last}`);
  const rate = Number(m[1]);
  progress(`Kafka ProducerPerformance: ${rate.toFixed(0)}/s`);
  return { label: 'Kafka ProducerPerformance tool, 512-byte records, acks=all (physical limit)', count: records, seconds: records / rate, rate };
}

function report(rows: Array<{ label: string; count: number; seconds: number; rate: number }>): void {
  const table = [
    '| measurement | items | seconds | per second |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.label} | ${r.count} | ${r.seconds.toFixed(1)} | ${Math.round(r.rate)} |`),
  ].join('\n');
  const raw = rows.find((r) => r.label.startsWith('PostgreSQL raw INSERT'));
  const rawTx = rows.find((r) => r.label.startsWith('PostgreSQL raw BEGIN'));
  const append = rows.find((r) => r.label.startsWith('appendToStream'));
  const ratios = raw && rawTx && append
    ? `\n\nAppends against the raw rate: ${(append.rate / raw.rate).toFixed(2)} of INSERT+COMMIT, ${(append.rate / rawTx.rate).toFixed(2)} of BEGIN, INSERT, COMMIT.`
    : '';
  process.stdout.write(table + '\n');
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const doc = readFileSync(file, 'utf8');
  const begin = '<!-- bench:event-log:begin -->';
  const end = '<!-- bench:event-log:end -->';
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on this machine (${cpus().length} cores: load average ${loadavg()[0].toFixed(1)} at the end, the benchmark's own stack included).`;
  writeFileSync(file, doc.replace(new RegExp(`${begin}[\\s\\S]*${end}`), `${begin}\n${stamp}\n\n${table}${ratios}\n${end}`));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
