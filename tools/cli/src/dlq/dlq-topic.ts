// Reading and writing fjc.dlq for `fjc dlq`. Reading uses a short-lived consumer in a group of
// its own that never commits and is deleted afterwards: it reads every partition from the
// earliest retained record up to the end offsets taken when it started, so it sees the topic
// as it was and leaves no trace for the services' groups.
import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel, type IHeaders } from 'kafkajs';
import type { DlqRecord } from './dead-letters';
import { kafkaSecurityFromEnv } from '@fjc/messaging';

export interface DlqConnection {
  readonly brokers: readonly string[];
  readonly topic: string;
}

/** Kafka could not be reached, or did not answer in time. */
export class KafkaUnavailableError extends Error {
  readonly code = 'FJC_KAFKA_UNREACHABLE';
}

const READ_TIMEOUT_MS = 30_000;

function client(c: DlqConnection): Kafka {
  return new Kafka({ clientId: 'fjc-cli', brokers: [...c.brokers], ...kafkaSecurityFromEnv(), logLevel: logLevel.NOTHING, connectionTimeout: 3_000, retry: { retries: 3 } });
}

export async function readDlq(c: DlqConnection, onProgress: (text: string) => void = () => undefined): Promise<DlqRecord[]> {
  const kafka = client(c);
  const admin = kafka.admin();
  await unavailableUnlessConnected(() => admin.connect(), c);
  const groupId = `fjc-cli-dlq-${randomUUID()}`;
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(c.topic)) return [];
    const ends = new Map<number, bigint>();
    for (const o of await admin.fetchTopicOffsets(c.topic)) {
      if (BigInt(o.high) > BigInt(o.low)) ends.set(o.partition, BigInt(o.high));
    }
    if (ends.size === 0) return [];
    const records: DlqRecord[] = [];
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: c.topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new KafkaUnavailableError(`reading ${c.topic} took longer than ${READ_TIMEOUT_MS / 1000} s (read ${records.length} records)`)), READ_TIMEOUT_MS);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const end = ends.get(partition);
              if (end === undefined) return;
              if (BigInt(message.offset) < end) {
                records.push({
                  partition,
                  offset: message.offset,
                  key: message.key?.toString('utf8') ?? null,
                  value: message.value?.toString('utf8') ?? null,
                  headers: decodeHeaders(message.headers),
                  timestamp: message.timestamp,
                });
                if (records.length % 1000 === 0) onProgress(`read ${records.length} records of ${c.topic}`);
              }
              if (BigInt(message.offset) + 1n >= end) ends.delete(partition);
              if (ends.size === 0) done();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return records;
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

export interface SentAt {
  readonly partition: number;
  readonly offset: string | undefined;
}

/** Sends one message (acks from all replicas); returns where it landed. */
export async function sendOne(c: Pick<DlqConnection, 'brokers'>, topic: string, message: { key: string | null; value: string; headers: Record<string, string> }): Promise<SentAt> {
  const producer = client({ ...c, topic }).producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await unavailableUnlessConnected(() => producer.connect(), { brokers: c.brokers, topic });
  try {
    const [meta] = await producer.send({ topic, acks: -1, messages: [{ key: message.key, value: message.value, headers: message.headers }] });
    return { partition: meta?.partition ?? 0, offset: meta?.baseOffset };
  } finally {
    await producer.disconnect();
  }
}

async function unavailableUnlessConnected(connect: () => Promise<void>, c: DlqConnection): Promise<void> {
  try {
    await connect();
  } catch (err) {
    throw new KafkaUnavailableError(`cannot reach Kafka at ${c.brokers.join(',')} (${err instanceof Error ? err.message : String(err)})`);
  }
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map(String).join(',') : v.toString();
  }
  return out;
}
