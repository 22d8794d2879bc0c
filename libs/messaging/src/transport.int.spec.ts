// KafkaTransport's behaviour around the handler, against the real PostgreSQL and Kafka: it is
// ready only once its group has joined; it keeps its group membership through a handler longer
// than the session timeout (no rebalance, no second run); a slow partition does not hold back the
// others fetched with it; and on shutdown a handler in flight finishes and commits before the consumer leaves.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { Pool } from 'pg';
import { migrateDatabase } from '@fjc/event-log';
import { createTestDatabase, eventually, stackEnv, uniqueSuffix, type TestDatabase } from '@fjc/testing';
import { KafkaTransport, type KafkaMessageContext, type MessageParser } from './index';

const TOPIC = `t${uniqueSuffix()}.transport`;
const GROUP = `transport-test-${uniqueSuffix()}`;
const SESSION_TIMEOUT_MS = 6_000; // the broker's smallest allowed session timeout

interface TestEvent {
  id: string;
  jobId: string;
  payload: { sleepMs: number };
}

interface Call {
  id: string;
  partition: number;
  startedAt: number;
  endedAt?: number;
}

const calls: Call[] = [];
const callsOf = (id: string) => calls.filter((c) => c.id === id);

const parse: MessageParser = (value) => {
  const v = value as Partial<TestEvent> | null;
  if (typeof v?.id !== 'string' || typeof v.jobId !== 'string' || typeof v.payload?.sleepMs !== 'number') return { ok: false, error: 'id, jobId and payload.sleepMs are required' };
  return { ok: true, value: v, id: v.id };
};

@Controller()
class SlowController {
  @EventPattern(TOPIC)
  async onEvent(@Payload() event: TestEvent, @Ctx() ctx: KafkaMessageContext): Promise<void> {
    const call: Call = { id: event.id, partition: ctx.info.partition, startedAt: Date.now() };
    calls.push(call);
    await new Promise((r) => setTimeout(r, event.payload.sleepMs));
    await ctx.tx.query('insert into effects (event_id) values ($1)', [event.id]);
    call.endedAt = Date.now();
  }
}

@Module({ controllers: [SlowController] })
class SlowModule {}

describe('KafkaTransport around its handlers (real PostgreSQL and Kafka)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let admin: Admin;
  let producer: Producer;
  let transport: KafkaTransport;
  let app: INestMicroservice;
  let joins = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateDatabase(db.url);
    pool = new Pool({ connectionString: db.url, max: 6 });
    await pool.query('create table effects (event_id uuid primary key)');
    const kafka = new Kafka({ clientId: 'transport-test', brokers: stackEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }, { topic: `${TOPIC}.dlq`, numPartitions: 1 }], waitForLeaders: true });
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: [TOPIC, `${TOPIC}.dlq`] }).catch(() => undefined);
    await admin?.disconnect();
    await pool?.end();
    await db?.drop();
  });

  async function send(partition: number, sleepMs: number): Promise<string> {
    const id = randomUUID();
    await producer.send({ topic: TOPIC, acks: -1, messages: [{ partition, key: `job-${partition}`, value: JSON.stringify({ id, jobId: `job-${partition}`, payload: { sleepMs } }) }] });
    return id;
  }

  const effects = async (id: string) => (await pool.query('select 1 from effects where event_id = $1', [id])).rowCount;
  const committed = async (partition: number) => {
    const [offsets] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    return Number(offsets.partitions.find((p) => p.partition === partition)?.offset ?? -1);
  };

  // Waiting before the consumer starts, so its first fetch holds both partitions.
  let slow = '';
  let fast = '';

  it('is ready only once its consumer group has joined', async () => {
    // The quicker one still sleeps 2 s, so the order in which the two handlers happen to open
    // their transactions (milliseconds apart) cannot decide the test: only running side by side can.
    slow = await send(0, 6_000);
    fast = await send(1, 2_000);
    transport = new KafkaTransport({
      brokers: stackEnv('KAFKA_BROKERS').split(','),
      clientId: 'transport-test',
      groupId: GROUP,
      topics: { [TOPIC]: parse },
      pool,
      dlqTopic: `${TOPIC}.dlq`,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: 1_000,
      partitionsConsumedConcurrently: 2,
    });
    transport.on('joined', () => joins++);
    expect(transport.isReady).toBe(false);
    app = await NestFactory.createMicroservice(SlowModule, { strategy: transport, logger: ['error'] });
    await app.listen();
    await transport.waitUntilJoined();
    expect(transport.isReady).toBe(true);
    expect(joins).toBe(1);
  });

  it('handles the partitions of a fetch concurrently: a slow one does not hold back another', async () => {
    await eventually('the fast one done', async () => callsOf(fast)[0]?.endedAt, (t) => t !== undefined, { timeoutMs: 20_000, intervalMs: 100 });
    expect(callsOf(slow)).toHaveLength(1); // started...
    expect(callsOf(slow)[0].endedAt).toBeUndefined(); // ...and still sleeping
    await eventually('the slow one done', async () => callsOf(slow)[0]?.endedAt, (t) => t !== undefined, { timeoutMs: 20_000, intervalMs: 100 });
    expect(callsOf(fast)[0].endedAt).toBeLessThan(callsOf(slow)[0].endedAt as number);
    expect(callsOf(slow)[0].startedAt).toBeLessThan(callsOf(fast)[0].endedAt as number);
    expect(callsOf(fast)[0].startedAt).toBeLessThan(callsOf(slow)[0].endedAt as number);
  });

  it('keeps its membership through a handler that runs more than twice the session timeout', async () => {
    // The slow message of the test before commits its offset just after its handler returns:
    // wait for that commit, or it would be taken for this message's.
    const before = await eventually('the earlier message committed', () => committed(0), (o) => o >= 1, { timeoutMs: 20_000, intervalMs: 100 });
    const id = await send(0, SESSION_TIMEOUT_MS * 2 + 2_000);
    await eventually('the long handler done and its offset committed', () => committed(0), (o) => o === before + 1, { timeoutMs: 60_000, intervalMs: 500 });
    await new Promise((r) => setTimeout(r, 2_000)); // a rebalance would deliver it again now
    expect(callsOf(id)).toHaveLength(1); // no redelivery
    expect(joins).toBe(1); // no rebalance
    expect(await effects(id)).toBe(1);
  });

  it('shuts down in order: a handler in flight finishes and commits before the consumer leaves', async () => {
    const before = await committed(1);
    const id = await send(1, 3_000);
    await eventually('the handler started', async () => callsOf(id).length, (n) => n === 1, { timeoutMs: 20_000, intervalMs: 100 });
    await app.close();
    expect(callsOf(id)[0].endedAt).toBeDefined();
    expect(await effects(id)).toBe(1);
    expect(await committed(1)).toBe(before + 1);
    expect(transport.isReady).toBe(false);
  });
});
