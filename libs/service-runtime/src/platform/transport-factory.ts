// Builds a service's Kafka transport from the contracts' topic registry: envelope topics are
// decoded and upcast by decodeEvent (failures go to the DLQ), spec commands only need a
// commandId here (everything else is answered with a rejected result by the handler, a
// malformed commandId included).
import { decodeEvent, topicRegistry, UuidSchema, type TopicKey } from '@fjc/contracts';
import { KafkaTransport, type MessageParser } from '@fjc/messaging';
import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { Counter, type Registry } from 'prom-client';
import { registerConsumerLag } from './platform-metrics';
import { v5 as uuidV5 } from 'uuid';
import type { PlatformConfig } from './platform-config';
import { processInstanceId } from '../service-identity';

export interface ConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly TopicKey[];
  readonly partitionsConsumedConcurrently?: number;
}

export function envelopeParser(topic: TopicKey): MessageParser {
  return (value) => {
    const decoded = decodeEvent(value, { topic });
    if (!decoded.ok) return { ok: false, error: `${decoded.code}: ${decoded.message}` };
    // Every envelope topic is fed by the relay from the event log: the log must hold it as sent.
    const raw = value as { type: string; jobId: string; streamVersion: number; payload: unknown };
    const fromLog = { type: raw.type, jobId: raw.jobId, streamVersion: raw.streamVersion, payload: raw.payload };
    return { ok: true, value: decoded.event, id: decoded.event.id, fromLog };
  };
}

/** Any non-empty string commandId can be answered; the handler rejects one that is not a UUID. */
export const commandIdParser: MessageParser = (value) => {
  const commandId = typeof value === 'object' && value !== null ? (value as { commandId?: unknown }).commandId : undefined;
  if (typeof commandId !== 'string' || commandId.length === 0) return { ok: false, error: 'FJC_DLQ_NO_COMMAND_ID: the message has no commandId (a non-empty string)' };
  return { ok: true, value, id: commandKey(commandId) };
};

// A fixed namespace for the name-based UUIDs of malformed command ids (RFC 9562 version 5).
const COMMAND_ID_NAMESPACE = '3c9f1a2e-8b7d-4e5f-a6c0-d1e2f3a4b5c6';

/**
 * The UUID a command is deduplicated and its result stored under: its commandId when that is a
 * UUID, else a name-based UUID derived from it, so a command with a malformed id is still
 * answered exactly once (the inbox and the result outbox are keyed by uuid).
 */
export function commandKey(commandId: string): string {
  return UuidSchema.safeParse(commandId).success ? commandId : uuidV5(commandId, COMMAND_ID_NAMESPACE);
}

export function createServiceTransport(config: PlatformConfig, pool: Pool, serviceName: string, consumer: ConsumerOptions, registry?: Registry, lagAdmin?: () => Promise<Admin>): KafkaTransport {
  const deadLetters = registry
    ? new Counter({ name: 'fjc_dead_letters_total', help: 'Messages sent to the dead-letter topic, by source topic and code', labelNames: ['topic', 'code'], registers: [registry] })
    : undefined;
  const duplicates = registry
    ? new Counter({ name: 'fjc_inbox_duplicates_total', help: 'Messages the inbox had already seen (redelivered or replayed), by topic: handled once, skipped since', labelNames: ['topic'], registers: [registry] })
    : undefined;
  const topicsByKey = topicRegistry(config.topicPrefix);
  const topics: Record<string, MessageParser> = {};
  for (const key of consumer.topics) topics[topicsByKey[key].name] = key === 'specCommands' ? commandIdParser : envelopeParser(key);
  // Group ids are scoped by the topic prefix: deployments sharing a broker under different
  // prefixes must never share a group, or Kafka would hand one deployment the other's partitions.
  const groupId = `${config.topicPrefix}${consumer.groupId.replace(/^fjc-/, '')}`;
  if (registry && lagAdmin) registerConsumerLag(registry, groupId, Object.keys(topics), lagAdmin);
  return new KafkaTransport({
    brokers: config.kafkaBrokers,
    security: config.kafkaSecurity,
    clientId: serviceName,
    instanceId: processInstanceId(),
    groupId,
    consumerName: groupId,
    topics,
    pool,
    dlqTopic: topicsByKey.dlq.name,
    partitionsConsumedConcurrently: consumer.partitionsConsumedConcurrently ?? 4,
    // How long Kafka waits for a crashed member before giving its partitions to the others.
    sessionTimeoutMs: config.kafkaSessionTimeoutMs,
    onDeadLetter: (topic, code) => deadLetters?.inc({ topic, code }),
    onDuplicate: (topic) => duplicates?.inc({ topic }),
  });
}
