// PlatformModule.forService: what every FJC service shares behind its ports: the migrated
// PostgreSQL pool (application role), the Kafka producer, the public topics (created if
// missing), the event writer, a clock, and the relay that publishes the log (one active relay
// across all instances of all services; the others stand by). Every instance marks itself
// running in PostgreSQL (a shared advisory lock), so a rebuild of its tables is refused meanwhile.
// Shutdown order: every loop (the relay's here, the services' own) stops in
// beforeApplicationShutdown; the consumer closes after that; the producer and pool close last,
// in onApplicationShutdown, when nothing uses them any more.
import { DynamicModule, Global, Inject, Injectable, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka, Partitioners, logLevel, type Admin, type KafkaConfig, type Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { Logger } from 'nestjs-pino';
import { EVENT_CATALOG, topicRegistry, type FjcEventType } from '@fjc/contracts';
import { assertSchemaMigrated, createPgPool, holdServicePresence, LogRelay, PgConnectError, SchemaNotMigratedError, type MigrationClass, type ServicePresence } from '@fjc/event-log';
import { DependencyUnavailableError, kafkaLogCreator, waitForDependency, type WaitLogger } from '@fjc/messaging';
import { ensureTopics } from './ensure-topics';
import { processInstanceId } from '../service-identity';
import { Readiness } from '../readiness';
import { loopLoggerOf, PollingLoop } from '../polling-loop';
import { EventWriter } from './event-writer';
import { METRICS_REGISTRY } from '../metrics';
import { registerRelayMetrics } from './platform-metrics';
import { RELAY_STALL_MS, RelayHealth, relayHasBacklog } from './relay-health';
import type { Registry } from 'prom-client';
import { platformConfigFromEnv, type PlatformConfig } from './platform-config';
import { CLOCK, DB_POOL, KAFKA, KAFKA_PRODUCER, PLATFORM_CONFIG, TOPICS, systemClock } from './tokens';

export interface PlatformOptions {
  readonly serviceName: string;
  /** This service's own migrations: applied by the migration step, only checked here. */
  readonly migrations?: readonly MigrationClass[];
}

export type Topics = ReturnType<typeof topicRegistry>;

const SERVICE_PRESENCE = Symbol('SERVICE_PRESENCE');

/** The service's schema as its role sees it; not migrated yet is an outage to wait out, not a crash.
 *  So is a refused connection (untrusted certificate, wrong password): the service waits, not
 *  ready, logging the coded cause each round, and starts once the server or its secret is fixed. */
async function schemaChecked(url: string, options: PlatformOptions): Promise<void> {
  try {
    await assertSchemaMigrated(url, options.serviceName, options.migrations ?? []);
  } catch (err) {
    if (err instanceof SchemaNotMigratedError || err instanceof PgConnectError) throw new DependencyUnavailableError('postgres', err.message);
    throw err;
  }
}

const waitLog = (logger: Logger): WaitLogger => ({ warn: (entry, msg) => logger.warn({ ...entry, msg }, 'platform') });

function kafkaConfigOf(c: PlatformConfig, serviceName: string): KafkaConfig {
  return {
    clientId: serviceName,
    brokers: [...c.kafkaBrokers],
    ...c.kafkaSecurity,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator({ service: serviceName, instance: processInstanceId(), pid: process.pid }),
  };
}

/** Kafka's readiness: one cheap metadata request on a client that does not retry. */
class KafkaProbe {
  private admin: Admin | null = null;
  private readonly kafka: Kafka;

  constructor(brokers: readonly string[], clientId: string, security: Pick<KafkaConfig, 'ssl' | 'sasl'>) {
    this.kafka = new Kafka({ clientId: `${clientId}-readiness`, brokers: [...brokers], ...security, logLevel: logLevel.NOTHING, connectionTimeout: 2_500, requestTimeout: 2_500, retry: { retries: 0 } });
  }

  async check(): Promise<void> {
    try {
      if (!this.admin) {
        this.admin = this.kafka.admin();
        await this.admin.connect();
      }
      await this.admin.describeCluster();
    } catch (err) {
      const admin = this.admin;
      this.admin = null;
      await admin?.disconnect().catch(() => undefined);
      throw new Error(`kafka unreachable: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async close(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = null;
  }
}

@Injectable()
class PlatformLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private relay: LogRelay | null = null;
  private relayLoop: PollingLoop | null = null;
  private kafkaProbe: KafkaProbe | null = null;

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(DB_POOL) private readonly pool: Pool,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(SERVICE_PRESENCE) private readonly presence: ServicePresence,
    private readonly readiness: Readiness,
    private readonly logger: Logger,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.readiness.register('postgres', async () => {
      try {
        await this.pool.query('select 1');
      } catch (err) {
        throw new Error(`postgres unreachable: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    const probe = (this.kafkaProbe = new KafkaProbe(this.config.kafkaBrokers, 'fjc', this.config.kafkaSecurity));
    this.readiness.register('kafka', () => probe.check());
    const relay = new LogRelay(this.pool, this.producer, {
      name: 'fjc-relay',
      connectionString: this.config.appDatabaseUrl,
      topicFor: (e) => {
        const topic = e.type in EVENT_CATALOG ? EVENT_CATALOG[e.type as FjcEventType].topic : null;
        return topic === null ? null : this.topics[topic].name;
      },
      logger: {
        info: (o, m) => this.logger.log({ ...o, msg: m }, 'relay'),
        warn: (o, m) => this.logger.warn({ ...o, msg: m }, 'relay'),
        error: (o, m) => this.logger.error({ ...o, msg: m }, 'relay'),
      },
      onNotify: () => this.relayLoop?.wake(),
    });
    this.relay = relay;
    const { published } = registerRelayMetrics(this.registry, this.pool, 'fjc-relay');
    // Readiness covers the relay: its last pass must have worked, and a pass must have completed
    // lately when events wait (a relay that cannot read the log or publish to Kafka keeps accepted
    // events from everyone downstream). See relay-health.ts.
    const health = new RelayHealth({ stallMs: RELAY_STALL_MS, hasBacklog: () => relayHasBacklog(this.pool, 'fjc-relay') });
    this.readiness.register('relay', () => health.check());
    this.relayLoop = new PollingLoop({
      name: 'relay',
      intervalMs: 500,
      pass: async () => {
        const before = relay.published;
        const result = await relay.pass();
        published.inc(relay.published - before);
        return result;
      },
      errorCode: 'FJC_RELAY_RETRY',
      logger: loopLoggerOf(this.logger, 'relay'),
      onPass: (report) => health.onPass(report),
    });
    this.relayLoop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relayLoop?.stop();
    await this.relay?.release();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.kafkaProbe?.close();
    await this.producer.disconnect().catch((err: unknown) => this.logger.warn({ msg: `producer disconnect failed: ${String(err)}` }, 'platform'));
    await this.pool.end();
    await this.presence.release();
  }
}

@Global()
@Module({})
export class PlatformModule {
  static forService(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: PLATFORM_CONFIG, useFactory: () => platformConfigFromEnv(options.serviceName) },
        { provide: CLOCK, useValue: systemClock },
        { provide: TOPICS, useFactory: (c: PlatformConfig) => topicRegistry(c.topicPrefix), inject: [PLATFORM_CONFIG] },
        {
          provide: DB_POOL,
          inject: [PLATFORM_CONFIG, Logger],
          useFactory: async (c: PlatformConfig, logger: Logger) => {
            // PostgreSQL down, or its schema not migrated yet (the migration step is separate): wait
            // for it, with bounded back-off and a FJC_DEPENDENCY_WAITING line naming the cause each time.
            await waitForDependency('postgres', () => schemaChecked(c.appDatabaseUrl, options), waitLog(logger));
            return createPgPool({
              connectionString: c.appDatabaseUrl,
              max: 20,
              name: options.serviceName,
              warn: (entry, msg) => logger.warn({ ...entry, msg }, 'platform'),
            });
          },
        },
        {
          // After the migrations (the pool's factory), before anything reads or writes the service's tables.
          provide: SERVICE_PRESENCE,
          inject: [PLATFORM_CONFIG, DB_POOL, Logger],
          useFactory: async (c: PlatformConfig, _pool: Pool, logger: Logger) => {
            const waiting = setTimeout(() => logger.warn({ event: 'service.presence.waiting', msg: `waiting for a rebuild of the ${options.serviceName} tables to finish` }, 'platform'), 2_000);
            try {
              return await waitForDependency('postgres', () => holdServicePresence(c.appDatabaseUrl, options.serviceName), waitLog(logger));
            } finally {
              clearTimeout(waiting);
            }
          },
        },
        {
          provide: KAFKA,
          inject: [PLATFORM_CONFIG],
          useFactory: (c: PlatformConfig) => new Kafka(kafkaConfigOf(c, options.serviceName)),
        },
        {
          provide: KAFKA_PRODUCER,
          inject: [KAFKA, PLATFORM_CONFIG, TOPICS, Logger],
          useFactory: async (kafka: Kafka, c: PlatformConfig, topics: Topics, logger: Logger) =>
            // Kafka down at start: wait for it (bounded back-off, a FJC_DEPENDENCY_WAITING line each time).
            waitForDependency(
              'kafka',
              async () => {
                // One quick try per round on a client of its own: the rounds' back-off and
                // FJC_DEPENDENCY_WAITING lines, not kafkajs's silent retries (about 15 s of them),
                // are what an operator sees while Kafka is down.
                const admin = new Kafka({ ...kafkaConfigOf(c, options.serviceName), retry: { retries: 1 } }).admin();
                try {
                  await admin.connect();
                  await ensureTopics(admin, Object.values(topics).map((t) => ({ name: t.name, partitions: c.topicPartitions })), {
                    onRetry: (error) => logger.warn({ event: 'kafka.topics.retry', error, msg: 'topics not ready yet; retrying' }, 'platform'),
                  });
                } finally {
                  await admin.disconnect().catch(() => undefined);
                }
                const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
                try {
                  await producer.connect();
                } catch (err) {
                  await producer.disconnect().catch(() => undefined);
                  throw err;
                }
                return producer;
              },
              waitLog(logger),
            ),
        },
        EventWriter,
        PlatformLifecycle,
      ],
      exports: [PLATFORM_CONFIG, CLOCK, TOPICS, DB_POOL, KAFKA, KAFKA_PRODUCER, EventWriter],
    };
  }
}
