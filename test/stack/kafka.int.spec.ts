// The stack's Kafka broker, whichever version it runs (4.4.0 by default, 3.9.1 with
// KAFKA_VERSION), works with kafkajs: the broker is of the version the stack says, partitions,
// keyed produce, group consumption with manual commits, and a restarted group resuming at its
// committed offsets with nothing lost and nothing committed handed out again.
import { Socket } from 'node:net';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { eventually, stackEnv, stackStatement, uniqueSuffix } from '@fjc/testing';

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

  // Kafka has no request that names its release; the API ranges name its line. 4.0 removed
  // Fetch v0-v3 and OffsetCommit v0-v1 (KIP-896), which every 3.x broker still accepts. (Not
  // Produce: 4.x still advertises v0 for old clients that look for it, and rejects it.)
  const statedVersion = stackStatement('KAFKA_VERSION');
  (statedVersion ? it : it.skip)(`is a broker of the version the stack says (${statedVersion ?? 'not stated: a reused broker'})`, async () => {
    const versions = await apiVersions(stackEnv('KAFKA_BROKERS').split(',')[0]);
    const lowest = { fetch: versions.get(1)?.min, offsetCommit: versions.get(8)?.min };
    if (Number(statedVersion?.split('.')[0]) >= 4) expect(lowest).toEqual({ fetch: 4, offsetCommit: 2 });
    else expect(lowest).toEqual({ fetch: 0, offsetCommit: 0 });
  });

  it('creates a 12-partition topic', async () => {
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0].partitions).toHaveLength(PARTITIONS);
  });

  it('resumes a restarted group at its committed offsets, losing nothing and repeating nothing committed', async () => {
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
    // Each partition resumed exactly at its committed offset.
    const resumedAt = new Map<number, number>();
    for (const m of second.seen) resumedAt.set(m.partition, Math.min(resumedAt.get(m.partition) ?? m.offset, m.offset));
    expect(new Map([...resumedAt].filter(([partition]) => committedUpTo.has(partition)))).toEqual(committedUpTo);

    // Per key, messages first arrive in the order they were produced.
    for (const key of new Set(second.seen.map((m) => m.key))) {
      const order = [...new Set(second.seen.filter((m) => m.key === key).map((m) => m.i))];
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });
});

/** The broker's supported version range per API key, from an ApiVersions v0 request (the one
 *  version every broker answers) over a plain socket, since kafkajs does not expose it. */
async function apiVersions(broker: string): Promise<Map<number, { min: number; max: number }>> {
  const [host, port] = broker.split(':');
  const clientId = Buffer.from('fjc-stack-test');
  const request = Buffer.alloc(4 + 2 + 2 + 4 + 2 + clientId.length);
  request.writeInt32BE(request.length - 4, 0);
  request.writeInt16BE(18, 4); // ApiVersions
  request.writeInt16BE(0, 6); // version 0
  request.writeInt32BE(1, 8); // correlation id
  request.writeInt16BE(clientId.length, 12);
  clientId.copy(request, 14);
  const response = await new Promise<Buffer>((resolve, reject) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    socket.setTimeout(5000, () => socket.destroy(new Error(`no ApiVersions answer from ${broker}`)));
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) {
        socket.end();
        resolve(received.subarray(4, 4 + received.readInt32BE(0)));
      }
    });
    socket.connect(Number(port), host, () => socket.write(request));
  });
  // correlation id (4), error code (2), array of { key, min, max } (int16 each)
  expect(response.readInt16BE(4)).toBe(0);
  const versions = new Map<number, { min: number; max: number }>();
  for (let k = 0, at = 10; k < response.readInt32BE(6); k++, at += 6) {
    versions.set(response.readInt16BE(at), { min: response.readInt16BE(at + 2), max: response.readInt16BE(at + 4) });
  }
  return versions;
}

/** The message indexes seen, each once, in order. */
function distinct(seen: ReadonlyArray<{ i: number }>): number[] {
  return [...new Set(seen.map((m) => m.i))].sort((a, b) => a - b);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}
