// The pinned Kafka broker works with kafkajs: partitions, keyed produce, group consumption with
// manual commits, and resumption at the committed offset after a consumer restart.
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { stackEnv, uniqueSuffix } from '@fjc/testing';

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

  /** Consumes until `expected` messages arrived; commits only those for which `commitIf` holds. */
  async function consume(expected: number, commitIf: (i: number) => boolean): Promise<{ consumer: Consumer; seen: Array<{ key: string; i: number; partition: number }> }> {
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000 });
    const seen: Array<{ key: string; i: number; partition: number }> = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${seen.length} of ${expected} messages arrived`)), 60000);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const i = (JSON.parse(String(message.value)) as { i: number }).i;
            seen.push({ key: String(message.key), i, partition });
            if (commitIf(i)) {
              await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
            }
            if (seen.length >= expected) {
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
    expect(first.seen.map((m) => m.i).sort((a, b) => a - b)).toEqual(range(0, 60));
    expect(new Set(first.seen.map((m) => m.partition)).size).toBeGreaterThan(1);
    await first.consumer.disconnect();

    await produce(60, 120);
    // Second run: the uncommitted tail (40..59) comes again, then the new messages; nothing else.
    const second = await consume(80, () => true);
    // Give a redelivery of anything already committed the chance to show up before judging.
    await new Promise((r) => setTimeout(r, 2000));
    await second.consumer.disconnect();
    expect(second.seen.map((m) => m.i).sort((a, b) => a - b)).toEqual(range(40, 120));

    // Per key, messages arrive in the order they were produced.
    for (const key of new Set(second.seen.map((m) => m.key))) {
      const order = second.seen.filter((m) => m.key === key).map((m) => m.i);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}
