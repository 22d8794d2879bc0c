// Integration test support: the built spec-service as a process in an isolated world (own
// database and topic prefix on the shared stack), with plain HTTP and SQL access beside it.
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { ServiceProcess, isolatedWorld, stackEnv, type IsolatedWorld } from '@fjc/testing';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked by expect(), field by field
  readonly body: any;
}

export interface SpecServiceWorld {
  readonly world: IsolatedWorld;
  readonly service: ServiceProcess;
  readonly kafka: Kafka;
  /** The database as its owner, to look at the log and tables directly. */
  readonly db: Pool;
  http(path: string, init?: RequestInit & { json?: unknown; yaml?: string }): Promise<HttpAnswer>;
  /** Event types in the log for one job, in log order. */
  logOf(jobId: string): Promise<string[]>;
  /** How many of the job's events the relay has published (by its checkpoint in the log). */
  relayedCount(jobId: string): Promise<number>;
  /** The service's base URL. */
  readonly url: string;
  close(): Promise<void>;
}

/** `env`: more settings for the service (e.g. FJC_AUTH_*). */
export async function startSpecService(env: Record<string, string> = {}): Promise<SpecServiceWorld> {
  const world = await isolatedWorld({ FJC_TOPIC_PARTITIONS: '3', FJC_OUTBOX_POLL_MS: '100', ...env });
  const service = new ServiceProcess('spec-service', world.env);
  await service.start();
  const db = new Pool({ connectionString: world.db.url, max: 2 });
  const kafka = new Kafka({ clientId: 'spec-service-int', brokers: stackEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
  return {
    world,
    service,
    kafka,
    db,
    async http(path, init = {}) {
      const { json, yaml, headers, ...rest } = init;
      const body = json !== undefined ? JSON.stringify(json) : (yaml ?? rest.body);
      const contentType: Record<string, string> =
        json !== undefined ? { 'content-type': 'application/json' } : yaml !== undefined ? { 'content-type': 'application/yaml' } : {};
      // As the world's admin unless the test sends its own Authorization (or "" for none).
      const auth: Record<string, string> = { authorization: `Bearer ${world.adminToken}` };
      const given = { ...contentType, ...auth, ...(headers as Record<string, string>) };
      if (given.authorization === '') delete given.authorization;
      const res = await fetch(`${service.url}${path}`, { ...rest, body, headers: given });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
    },
    get url() {
      return service.url;
    },
    async relayedCount(jobId) {
      const res = await db.query<{ n: number }>(
        `select count(*)::int as n from event_log e join log_checkpoint c on c.name = 'fjc-relay'
          where e.job_id = $1 and (e.tx_id, e.position) <= (c.tx_id, c.position)`,
        [jobId],
      );
      return res.rows[0]?.n ?? 0;
    },
    async logOf(jobId) {
      const res = await db.query<{ type: string }>('select type from event_log where job_id = $1 order by tx_id, position', [jobId]);
      return res.rows.map((r) => r.type);
    },
    async close() {
      await service.stop();
      await db.end();
      await deleteTopics(kafka, world.topicPrefix).catch(() => undefined);
      await world.close();
    },
  };
}

/** Best effort: the world's topics are of no use after the test. */
async function deleteTopics(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}
