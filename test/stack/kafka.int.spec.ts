// The pinned Kafka broker works with kafkajs: partitions, keyed produce, group consumption with
// manual commits, and resumption at the committed offset after a consumer restart.
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { eventually, stackEnv, uniqueSuffix } from '@fjc/testing';

const PARTITIONS = 12;
const KEYS = 24;

describe('Kafka (local stack) with kafkajs', () => {
  const kafka = new Kafka({ clientId: 'fjc-stack-test', brokers: stackEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
  const topic = `fjc-test.smoke.${uniqueSuffix()}`;
  const groupId = `fjc-test-group-${uniqueSuffix()}`;
  const producer = kafka.producer();
  const admin = kafka.admin();

  beforeAll(async () => {
    await Promise.all([producer.connect(), admin.connect()]);
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await Promise.all([producer.disconnect(), admin.disconnect()]);
  });

  async function produce(from: number, to: number): Promise<void> {
    const messages = [];
    for (let i = from; i < to; i++) messages.push({ key: `k${i % KEYS}`, value: JSON.stringify({ i }) });
    await producer.send({ topic, messages });
  }

  /** Consumes until `expected` distinct messages arrived; commits only those for which `commitIf`
   *  holds. Delivery is at least once: a rebalance (a slow heartbeat on a loaded machine) hands
   *  out again what was not committed, so duplicates do not count towards `expected`. */
  async function consume(expected: number, commitIf: (i: number) => boolean): Promise<{ consumer: Consumer; seen: Array<{ key: string; i: number; partition: number; offset: number }> }> {
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000 });
    const seen: Array<{ key: string; i: number; partition: number; offset: number }> = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${distinct(seen).length} of ${expected} messages arrived`)), 60000);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const i = (JSON.parse(String(message.value)) as { i: number }).i;
            seen.push({ key: String(message.key), i, partition, offset: Number(message.offset) });
            if (commitIf(i)) {
              await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
            }
            if (distinct(seen).length >= expected) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    return { consumer, seen };
  }

  it('creates a 12-partition topic', async () => {
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0].partitions).toHaveLength(PARTITIONS);
  });

  it('resumes at the committed offset after a restart, losing nothing', async () => {
    await produce(0, 60);
    // First run: all 60 arrive, but only messages 0..39 are committed. Each key maps to one
    // partition and indexes grow in produce order, so 40..59 form an uncommitted tail per partition.
    const first = await consume(60, (i) => i < 40);
    expect(distinct(first.seen)).toEqual(range(0, 60));
    expect(new Set(first.seen.map((m) => m.partition)).size).toBeGreaterThan(1);
    // Before leaving, the commits of 0..39 have landed (a rebalance drops commits in flight; the
    // consumer then commits them again as it reads them again).
    const committedUpTo = new Map<number, number>();
    for (const m of first.seen) if (m.i < 40) committedUpTo.set(m.partition, Math.max(committedUpTo.get(m.partition) ?? 0, m.offset + 1));
    await eventually(
      'the first 40 committed',
      async () => (await admin.fetchOffsets({ groupId, topics: [topic] }))[0].partitions,
      (partitions) => [...committedUpTo].every(([partition, offset]) => Number(partitions.find((p) => p.partition === partition)?.offset ?? -1) >= offset),
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    await first.consumer.disconnect();

    await produce(60, 120);
    // Second run: the uncommitted tail (40..59) comes again, then the new messages; nothing else.
    const second = await consume(80, () => true);
    // Give a redelivery of anything already committed the chance to show up before judging.
    await new Promise((r) => setTimeout(r, 2000));
    await second.consumer.disconnect();
    // Nothing committed came again, nothing is missing.
    expect(distinct(second.seen)).toEqual(range(40, 120));

    // Per key, messages first arrive in the order they were produced.
    for (const key of new Set(second.seen.map((m) => m.key))) {
      const order = [...new Set(second.seen.filter((m) => m.key === key).map((m) => m.i))];
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });
});

/** The message indexes seen, each once, in order. */
function distinct(seen: ReadonlyArray<{ i: number }>): number[] {
  return [...new Set(seen.map((m) => m.i))].sort((a, b) => a - b);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}
