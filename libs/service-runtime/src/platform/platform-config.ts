// Where a service finds PostgreSQL and Kafka: environment variables, read once at start.
import { appRoleUrl } from '@fjc/event-log';
import { DEFAULT_TOPIC_PREFIX } from '@fjc/contracts';
import { kafkaSecurityFromEnv, type KafkaSecurity } from '@fjc/messaging';

export interface PlatformConfig {
  /** The database owner's URL: migrations only. */
  readonly ownerDatabaseUrl: string;
  /** The application role's URL: everything the service does at run time. */
  readonly appDatabaseUrl: string;
  readonly kafkaBrokers: readonly string[];
  readonly topicPrefix: string;
  readonly topicPartitions: number;
  readonly kafkaSessionTimeoutMs: number;
  /** TLS and SASL settings of every Kafka client (FJC_KAFKA_SECURITY_PROTOCOL ...). */
  readonly kafkaSecurity: KafkaSecurity;
}

export function platformConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const ownerDatabaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/fjc';
  return {
    ownerDatabaseUrl,
    appDatabaseUrl: env.FJC_APP_DATABASE_URL ?? appRoleUrl(ownerDatabaseUrl),
    kafkaBrokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean),
    topicPrefix: env.FJC_TOPIC_PREFIX ?? DEFAULT_TOPIC_PREFIX,
    topicPartitions: Number(env.FJC_TOPIC_PARTITIONS ?? 12),
    kafkaSessionTimeoutMs: Number(env.FJC_KAFKA_SESSION_TIMEOUT_MS ?? 10_000),
    kafkaSecurity: kafkaSecurityFromEnv(env),
  };
}
