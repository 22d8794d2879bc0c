// Integration-test harness: a deployer process in an isolated world, a plain kafkajs producer
// for ActionRequested envelopes and a consumer collecting what the deployer publishes, the
// world's event log, and the Flink jobs the tests start (cancelled afterwards).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { Pool } from 'pg';
import { ActionRequestedEvent, DeadLetterSchema, decodeEvent, type DeadLetter, topicRegistry, validateSpec, type DeployerAction, type FjcEvent, type JobSpec } from '@fjc/contracts';
import { appendToStream, currentVersion, inTransaction, newEventOfEnvelope } from '@fjc/event-log';
import { eventually, isolatedWorld, ServiceProcess, stackEnv, stackFlinkClient, uniqueSuffix, type IsolatedWorld } from '@fjc/testing';

export const ROOT = join(__dirname, '..', '..', '..', '..');
/** The test job's jar as specs name it: relative to the worlds' artifact root (TEST_JOB_DIR of libs/testing). */
export const TEST_JAR = 'fjc-test-job.jar';
/** The same jar's file. */
export const TEST_JAR_FILE = join(ROOT, 'infra', 'flink-test-job', 'target', TEST_JAR);
export const TEST_JAR_SHA = readFileSync(`${TEST_JAR_FILE}.sha256`, 'utf8').trim();

export function streamSpec(jobId: string, overrides: Record<string, unknown> = {}): JobSpec {
  const result = validateSpec({
    job_id: jobId,
    job_type: 'stream',
    artifact_path: TEST_JAR,
    artifact_signature: `sha256:${TEST_JAR_SHA}`,
    entry_class: 'dev.fjc.testjob.TestJob',
    args: ['--mode', 'stream', '--rate', '20', '--print-every', '0'],
    deployment: { parallelism: 1, upgrade_mode: 'savepoint' },
    ...overrides,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

export interface Sent {
  readonly eventId: string;
  readonly actionId: string;
  readonly correlationId: string;
  readonly value: string;
}

export class DeployerHarness {
  readonly received: FjcEvent[] = [];
  /** Dead letters on the world's DLQ topic. */
  readonly deadLetters: DeadLetter[] = [];
  readonly flink = stackFlinkClient();
  readonly flinkJobs = new Set<string>();
  deployer!: ServiceProcess;
  private world!: IsolatedWorld;
  private log!: Pool;
  private kafka!: Kafka;
  private producer!: Producer;
  private consumer!: Consumer;

  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    this.world = await isolatedWorld({ FJC_OBSERVE_INTERVAL_MS: '500', FJC_FLINK_WAIT_POLL_MS: '250', ...extraEnv });
    this.deployer = await new ServiceProcess('deployer', this.world.env).start();
    this.log = new Pool({ connectionString: this.world.db.url, max: 2 });
    this.kafka = new Kafka({ clientId: 'deployer-int-test', brokers: stackEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
    this.producer = this.kafka.producer();
    await this.producer.connect();
    const topics = topicRegistry(this.world.topicPrefix);
    this.consumer = this.kafka.consumer({ groupId: `deployer-int-${uniqueSuffix()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [topics.deployResults.name, topics.jobObservations.name, topics.dlq.name], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => {
        if (topic === topics.dlq.name) {
          this.deadLetters.push(DeadLetterSchema.parse(JSON.parse(message.value?.toString('utf8') ?? 'null')));
          return;
        }
        const decoded = decodeEvent(JSON.parse(message.value?.toString('utf8') ?? 'null'));
        if (decoded.ok) this.received.push(decoded.event);
      },
    });
  }

  async stop(): Promise<void> {
    for (const id of this.flinkJobs) await this.flink.cancel(id).catch(() => undefined);
    await this.deployer?.stop();
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    await this.log?.end();
    await this.flink.close();
    await this.world?.close();
  }

  /** Restarts the deployer (after a kill -9) as the same instance. */
  async restart(timeoutMs: number): Promise<void> {
    this.deployer = await new ServiceProcess('deployer', this.world.env).start(timeoutMs);
  }

  /** Publishes an ActionRequested as the reconciler would, keyed by job id. */
  async request(jobId: string, action: DeployerAction, again?: Sent, opts: { sameEnvelope?: boolean } = {}): Promise<Sent> {
    for (const id of flinkIdsOf(action)) this.flinkJobs.add(id);
    if (again && opts.sameEnvelope) {
      await this.publish(jobId, again.value);
      return again;
    }
    const actionId = again?.actionId ?? randomUUID();
    const correlationId = again?.correlationId ?? randomUUID();
    // As the reconciler does: appended to its stream first (the deployer acts only on what the
    // log holds), under the stream's next version.
    const envelope = await inTransaction(this.log, async (tx) => {
      const streamVersion = (await currentVersion(tx, `reconciler-${jobId}`)) + 1;
      const e = ActionRequestedEvent.parse({
        id: randomUUID(),
        type: 'ActionRequested',
        schemaVersion: 1,
        jobId,
        streamVersion,
        occurredAt: new Date().toISOString(),
        producer: 'reconciler',
        actor: { kind: 'user', id: 'alice' },
        correlationId,
        causationId: null,
        payload: { actionId, cluster: 'default', action },
      });
      await appendToStream(tx, `reconciler-${jobId}`, streamVersion - 1, [newEventOfEnvelope(e)]);
      return e;
    });
    const value = JSON.stringify(envelope);
    await this.publish(jobId, value);
    return { eventId: envelope.id, actionId, correlationId, value };
  }

  /** Publishes an ActionRequested that no reconciler recorded: what anyone who can write to the
   *  topic could send. */
  async forge(jobId: string, action: DeployerAction): Promise<{ eventId: string }> {
    const envelope = ActionRequestedEvent.parse({
      id: randomUUID(),
      type: 'ActionRequested',
      schemaVersion: 1,
      jobId,
      streamVersion: 99,
      occurredAt: new Date().toISOString(),
      producer: 'reconciler',
      actor: { kind: 'service', id: 'reconciler' },
      correlationId: randomUUID(),
      causationId: null,
      payload: { actionId: randomUUID(), cluster: 'default', action },
    });
    await this.publish(jobId, JSON.stringify(envelope));
    return { eventId: envelope.id };
  }

  private async publish(jobId: string, value: string): Promise<void> {
    await this.producer.send({
      topic: topicRegistry(this.world.topicPrefix).deployActions.name,
      messages: [{ key: jobId, value, headers: { 'event-type': 'ActionRequested' } }],
    });
  }

  /** The first event received that matches, waiting for it. */
  async next<T extends FjcEvent['type']>(type: T, match: (e: Extract<FjcEvent, { type: T }>) => boolean, timeoutMs = 60_000): Promise<Extract<FjcEvent, { type: T }>> {
    const find = () => this.received.find((e): e is Extract<FjcEvent, { type: T }> => e.type === type && match(e as Extract<FjcEvent, { type: T }>));
    try {
      return (await eventually(`${type} on the deployer's topics`, async () => find(), (e) => e !== undefined, { timeoutMs, intervalMs: 100 })) as Extract<FjcEvent, { type: T }>;
    } catch (err) {
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- deployer log ---\n${this.deployer.logs(80)}`);
    }
  }

  /** Events of the deployer's stream of a job in the log, in order. */
  async logged(jobId: string): Promise<{ type: string; payload: Record<string, unknown> }[]> {
    const res = await this.log.query<{ type: string; payload: Record<string, unknown> }>(
      'select type, payload from event_log where stream_id = $1 order by stream_version',
      [`deployer-${jobId}`],
    );
    return res.rows;
  }

  /** Whether the deployer's consumer has taken (and committed) a message, by its event id. */
  async consumed(eventId: string): Promise<boolean> {
    const res = await this.log.query('select 1 from inbox where consumer = $1 and event_id = $2', [`${this.world.topicPrefix}deployer`, eventId]);
    return res.rowCount === 1;
  }

  /** The Flink jar id the deployer ran a job from, and whether it has cleaned that jar up. */
  async jarOf(flinkJobId: string): Promise<{ jarId: string | null; cleaned: boolean }> {
    const res = await this.log.query<{ jar_id: string | null; cleaned: boolean }>(
      'select jar_id, jar_cleaned_at is not null as cleaned from deployer_jobs where flink_job_id = $1',
      [flinkJobId],
    );
    return { jarId: res.rows[0]?.jar_id ?? null, cleaned: res.rows[0]?.cleaned ?? false };
  }

  /** The deployer's records of a Flink job: its deployer_jobs row and the actions that name it. */
  async records(flinkJobId: string): Promise<{ jobs: number; actions: number }> {
    const res = await this.log.query<{ jobs: number; actions: number }>(
      `select (select count(*) from deployer_jobs where flink_job_id = $1)::int as jobs,
              (select count(*) from deployer_actions where flink_job_id = $1)::int as actions`,
      [flinkJobId],
    );
    return res.rows[0];
  }

  /** The status of an action in the deployer's queue; null when it has no row. */
  async actionStatus(actionId: string): Promise<string | null> {
    const res = await this.log.query<{ status: string }>('select status from deployer_actions where action_id = $1', [actionId]);
    return res.rows[0]?.status ?? null;
  }

  async flinkState(flinkJobId: string): Promise<string> {
    return (await this.flink.job(flinkJobId))?.state ?? 'NOT_FOUND';
  }

  /** Polls a counter-operator metric of the test job (summed over subtasks) until it is reported. */
  async counterMetric(flinkJobId: string, metric: 'fjc_total_count' | 'fjc_records'): Promise<number> {
    const job = await this.flink.job(flinkJobId);
    const vertex = job?.vertices.find((v) => v.name.startsWith('counter'));
    if (!vertex) throw new Error(`job ${flinkJobId} has no counter vertex`);
    return (await this.flink.vertexMetricSum(flinkJobId, vertex.id, `counter.${metric}`)) ?? -1;
  }

  async metrics(): Promise<string> {
    return (await fetch(`${this.deployer.url}/metrics`)).text();
  }
}

function flinkIdsOf(action: DeployerAction): string[] {
  if (action.kind === 'DisposeSavepoint' || action.kind === 'CleanUp') return [];
  return action.kind === 'Upgrade' ? [action.fromFlinkJobId, action.flinkJobId] : [action.flinkJobId];
}
