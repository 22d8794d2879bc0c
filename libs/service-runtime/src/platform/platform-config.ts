// Where a service finds PostgreSQL and Kafka: environment variables, read once at start.
import { serviceDatabaseUrl } from '@fjc/event-log';
import { DEFAULT_TOPIC_PREFIX } from '@fjc/contracts';
import { kafkaSecurityFromEnv, type KafkaSecurity } from '@fjc/messaging';

export interface PlatformConfig {
  /** The service's own role's URL (FJC_SERVICE_DATABASE_URL, or DATABASE_URL's server as the
   *  service's role), password included: everything the service does. Never logged. */
  readonly appDatabaseUrl: string;
  readonly kafkaBrokers: readonly string[];
  readonly topicPrefix: string;
  readonly topicPartitions: number;
  readonly kafkaSessionTimeoutMs: number;
  /** TLS and SASL settings of every Kafka client (FJC_KAFKA_SECURITY_PROTOCOL ...). */
  readonly kafkaSecurity: KafkaSecurity;
}

export function platformConfigFromEnv(service: string, env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  return {
    appDatabaseUrl: serviceDatabaseUrl(service, env),
    kafkaBrokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean),
    topicPrefix: env.FJC_TOPIC_PREFIX ?? DEFAULT_TOPIC_PREFIX,
    topicPartitions: Number(env.FJC_TOPIC_PARTITIONS ?? 12),
    kafkaSessionTimeoutMs: Number(env.FJC_KAFKA_SESSION_TIMEOUT_MS ?? 10_000),
    kafkaSecurity: kafkaSecurityFromEnv(env),
  };
}
