// `fjc log verify|replay|republish` against the real PostgreSQL and Kafka of the local stack,
// run as a person runs them: the built CLI as a child process.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { appendToStream, inTransaction, migrateDatabase, type NewEvent } from '@fjc/event-log';
import { createTestDatabase, eventually, stackEnv, uniqueSuffix, type TestDatabase } from '@fjc/testing';

const WORKSPACE = join(__dirname, '..', '..', '..');
const BIN = join(WORKSPACE, 'tools', 'cli', 'bin', 'fjc.js');

function fjc(env: Record<string, string>, ...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: WORKSPACE, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function observed(jobId: string, n: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'JobObserved',
    schemaVersion: 1,
    jobId,
    payload: { flinkJobId: n.toString(16).padStart(32, '0'), flinkState: 'RUNNING' },
    metadata: { producer: 'test', actor: { kind: 'service', id: 'test' }, correlationId: randomUUID(), causationId: null },
    occurredAt: new Date(),
  };
}

describe('fjc log (real PostgreSQL and Kafka)', () => {
  let db: TestDatabase;
  let owner: Pool;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateDatabase(db.url);
    owner = new Pool({ connectionString: db.url });
    for (let i = 1; i <= 30; i++) {
      await inTransaction(owner, (tx) => appendToStream(tx, `deployer-job-${i % 3}`, 'any', [observed(`job-${i % 3}`, i)]));
    }
    env = { DATABASE_URL: db.url, KAFKA_BROKERS: stackEnv('KAFKA_BROKERS'), FJC_TOPIC_PREFIX: `t${uniqueSuffix()}.` };
  });
  afterAll(async () => {
    await owner?.end();
    await db?.drop();
  });

  it('replays the log in order as JSON envelopes, from the start or after a position', () => {
    const all = fjc(env, 'log', 'replay');
    expect(all.code).toBe(0);
    const lines = all.stdout.trim().split('\n').map((l) => JSON.parse(l) as { position: string; type: string; jobId: string });
    expect(lines).toHaveLength(30);
    expect(lines.map((l) => Number(l.position))).toEqual(Array.from({ length: 30 }, (_, k) => k + 1));
    expect(all.stderr).toMatch(/replayed 30 events/);
    const tail = fjc(env, 'log', 'replay', '--after-position', '25');
    expect(tail.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { position: string }).position)).toEqual(['26', '27', '28', '29', '30']);
  });

  it('republishes a position range to the event topics', async () => {
    const run = fjc(env, 'log', 'republish', '--from-position', '11', '--to-position', '20');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/republished 10 events/);
    const kafka = new Kafka({ clientId: 'log-test', brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `log-test-${uniqueSuffix()}` });
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: `${env.FJC_TOPIC_PREFIX}job.observations`, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.key)) });
    await eventually('ten republished events', async () => seen.length, (n) => n >= 10, { timeoutMs: 30_000 });
    await consumer.disconnect();
    expect(seen).toHaveLength(10);
  });

  it('verifies an intact chain, and names the first row edited behind the triggers', async () => {
    const ok = fjc(env, 'log', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/ok: 30 events/);

    const client = await owner.connect();
    try {
      await client.query('alter table event_log disable trigger user');
      await client.query(`update event_log set payload = jsonb_set(payload, '{flinkState}', '"FAILED"') where position = 17`);
      await client.query('alter table event_log enable trigger user');
    } finally {
      client.release();
    }
    const broken = fjc(env, 'log', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/FJC_LOG_CHAIN_BROKEN: position 17 /);
  });
});
