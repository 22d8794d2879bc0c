// Delivery under failure, against the real PostgreSQL and Kafka: 5,000 events over 12
// partitions while the relay and the consumer are each killed with SIGKILL several times and the
// broker is restarted once. Nothing is lost, nothing is applied twice, per-key order holds, and
// poison messages land in the DLQ while their partitions continue.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { appendToStream, databaseOf, inTransaction, migrateDatabase, provisionServiceRole, replayLog, roleUrl, serviceRoleName, type NewEvent } from '@fjc/event-log';
import { createTestDatabase, eventually, stackEnv, uniqueSuffix, type TestDatabase } from '@fjc/testing';
import type { DeadLetter } from '@fjc/contracts';

const ROOT = join(__dirname, '..', '..', '..');
const EVENTS = 5000;
const JOBS = 60;

class Fixture {
  private child: ChildProcess | null = null;
  private wanted = false;
  starts = 0;
  output = '';

  constructor(private readonly file: string, private readonly env: Record<string, string>) {}

  start(): void {
    this.wanted = true;
    this.starts++;
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'int-fixtures', this.file)], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, SWC_NODE_PROJECT: join(__dirname, '..', 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000)));
    // A fixture that dies on its own (e.g. while the broker is down) is restarted, like a supervisor would.
    child.on('exit', () => {
      if (this.child === child) this.child = null;
      if (this.wanted) setTimeout(() => this.wanted && !this.child && this.start(), 500);
    });
    this.child = child;
  }

  kill9(): void {
    this.child?.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    this.wanted = false;
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

function restartBroker(): void {
  const status = execFileSync('bash', [join(ROOT, 'infra', 'stack'), 'status'], { cwd: ROOT, encoding: 'utf8' });
  const running = /kafka: running \(pid \d+, port \d+, Kafka (\S+)\)/.exec(status);
  if (!running) {
    throw new Error(`this test restarts the broker and needs a Kafka started by this checkout's stack; status was:\n${status}`);
  }
  // Start the same version again (its data folder holds the topics), whatever KAFKA_VERSION says here.
  const env = { ...process.env, KAFKA_VERSION: running[1] };
  execFileSync('bash', [join(ROOT, 'infra', 'stack'), 'down', 'kafka'], { cwd: ROOT, stdio: 'ignore', env });
  execFileSync('bash', [join(ROOT, 'infra', 'stack'), 'up', 'kafka'], { cwd: ROOT, stdio: 'ignore', env });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('relay + KafkaTransport under crashes (real PostgreSQL and Kafka)', () => {
  const brokers = stackEnv('KAFKA_BROKERS');
  const kafka = new Kafka({ clientId: 'delivery-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const topic = `fjc-test.delivery.${uniqueSuffix()}`;
  const dlq = `fjc-test.dlq.${uniqueSuffix()}`;
  let db: TestDatabase;
  let owner: Pool;
  let app: Pool;
  let relay: Fixture;
  let consumer: Fixture;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateDatabase(db.url);
    owner = new Pool({ connectionString: db.url });
    await owner.query(`create table effects (id bigserial primary key, event_id uuid not null, job_id text not null, seq int not null, partition int not null)`);
    // A role of its own, as the migration step makes a service's.
    const role = serviceRoleName('test', databaseOf(db.url));
    await provisionServiceRole(owner, role, { service: 'test', eventTypes: ['Counted'], tables: { effects: ['select', 'insert'] } });
    await owner.query(`grant usage on sequence effects_id_seq to ${role}`);
    const appUrl = roleUrl(db.url, role);
    app = new Pool({ connectionString: appUrl, max: 8 });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 12 }, { topic: dlq, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const env = { DATABASE_URL: appUrl, KAFKA_BROKERS: brokers, TOPIC: topic, DLQ: dlq, GROUP: `delivery-${uniqueSuffix()}` };
    relay = new Fixture('relay.fixture.ts', env);
    consumer = new Fixture('consumer.fixture.ts', env);
  });

  afterAll(async () => {
    await Promise.all([relay?.stop(), consumer?.stop()]);
    await Promise.all([owner?.end(), app?.end()]);
    await db?.drop();
  });

  function event(jobId: string, seq: number, extra: object = {}): NewEvent {
    return {
      eventId: randomUUID(),
      type: 'Counted',
      schemaVersion: 1,
      jobId,
      payload: { seq, ...extra },
      metadata: { producer: 'test', actor: { kind: 'service', id: 'test' }, correlationId: randomUUID(), causationId: null },
      occurredAt: new Date(),
    };
  }

  it('loses nothing, applies nothing twice and keeps per-key order', async () => {
    relay.start();
    consumer.start();
    const seqs = new Map<string, number>();
    const expectedIds = new Set<string>();
    let appended = 0;

    async function appendSome(n: number): Promise<void> {
      for (let i = 0; i < n; i++, appended++) {
        const jobId = `job-${appended % JOBS}`;
        const seq = (seqs.get(jobId) ?? 0) + 1;
        const e = event(jobId, seq);
        await inTransaction(app, (tx) => appendToStream(tx, jobId, seq - 1, [e]));
        seqs.set(jobId, seq);
        expectedIds.add(e.eventId);
      }
    }

    // Chaos while appending: each fixture killed three times, the broker restarted once.
    const chunk = EVENTS / 10;
    for (let round = 0; round < 10; round++) {
      await appendSome(chunk);
      if (round === 1 || round === 4 || round === 7) {
        consumer.kill9();
        await sleep(300);
      }
      if (round === 2 || round === 5 || round === 8) {
        relay.kill9();
        await sleep(300);
      }
      if (round === 3) {
        // Poison: an event its handler always rejects, and a message that is not JSON at all,
        // each on a partition that keeps receiving good events afterwards.
        await inTransaction(app, (tx) => appendToStream(tx, 'job-poison', 'any', [event('job-poison', 0, { poison: true })]));
        const producer = kafka.producer();
        await producer.connect();
        await producer.send({ topic, messages: [{ key: 'job-7', value: 'this is {not json' }] });
        await producer.disconnect();
      }
      if (round === 6) restartBroker();
    }

    const done = await eventually(
      'every event applied',
      async () => (await owner.query<{ n: number }>('select count(distinct event_id)::int as n from effects')).rows[0].n,
      (n) => n >= EVENTS,
      { timeoutMs: 180_000, intervalMs: 1000 },
    );
    expect(done).toBe(EVENTS);
    // Let any redelivery after the last kill arrive before judging duplicates.
    await sleep(3000);

    const { rows: effects } = await owner.query<{ event_id: string; job_id: string; seq: number }>(
      'select event_id, job_id, seq from effects order by id',
    );
    expect(effects).toHaveLength(EVENTS);
    expect(new Set(effects.map((e) => e.event_id))).toEqual(expectedIds);
    for (const [jobId, last] of seqs) {
      expect(effects.filter((e) => e.job_id === jobId).map((e) => e.seq)).toEqual(Array.from({ length: last }, (_, k) => k + 1));
    }
    // The same projection rebuilt by replaying the log is identical to the live one built over Kafka.
    const live = new Map<string, number[]>();
    for (const e of effects) live.set(e.job_id, [...(live.get(e.job_id) ?? []), e.seq]);
    const rebuilt = new Map<string, number[]>();
    const progress: number[] = [];
    await replayLog(
      app,
      (e) => {
        const p = e.payload as { seq: number; poison?: boolean };
        if (!p.poison) rebuilt.set(e.jobId, [...(rebuilt.get(e.jobId) ?? []), p.seq]);
      },
      { batchSize: 700, onProgress: (r) => progress.push(r.done) },
    );
    expect(rebuilt).toEqual(live);
    expect(progress.at(-1)).toBe(EVENTS + 1);

    expect(relay.starts).toBeGreaterThanOrEqual(4);
    expect(consumer.starts).toBeGreaterThanOrEqual(4);

    // Both poison messages are in the DLQ with their origin, and were not applied.
    const dlqConsumer = kafka.consumer({ groupId: `dlq-reader-${uniqueSuffix()}` });
    const letters: DeadLetter[] = [];
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({ topic: dlq, fromBeginning: true });
    await dlqConsumer.run({ eachMessage: async ({ message }) => void letters.push(JSON.parse(String(message.value)) as DeadLetter) });
    // Dead-lettering is at least once: a kill between the DLQ send and the offset commit (or a
    // relay re-publish) sends a letter again. Judge the distinct letters.
    const distinct = () => [...new Map(letters.map((l) => [`${l.code} ${l.value}`, l])).values()];
    await eventually('two dead letters', async () => distinct().length, (n) => n >= 2, { timeoutMs: 30_000 });
    await dlqConsumer.disconnect();
    const codes = distinct().map((l) => l.code).sort();
    expect(codes).toEqual(['FJC_DLQ_HANDLER_FAILED', 'FJC_DLQ_NOT_JSON']);
    for (const l of letters) {
      expect(l.sourceTopic).toBe(topic);
      expect(l.offset).toMatch(/^\d+$/);
    }
    expect(letters.find((l) => l.code === 'FJC_DLQ_NOT_JSON')?.value).toBe('this is {not json');
    expect(letters.find((l) => l.code === 'FJC_DLQ_HANDLER_FAILED')?.attempts).toBe(3);
    // The reason is FJC's sentence; the handler's own text ("poison event ...") stays in the log.
    expect(letters.find((l) => l.code === 'FJC_DLQ_HANDLER_FAILED')?.reason).toMatch(/^The handler failed 3 attempts; /);
    expect(letters.map((l) => l.reason).join(' ')).not.toMatch(/poison event|Unexpected token/);
    // Chaos (5,000 appends, kills, a broker restart) plus up to 180 s of catching up: longer than the config's 120 s.
  }, 480_000);
});
