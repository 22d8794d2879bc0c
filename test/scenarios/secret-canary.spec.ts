// Issue 12 item 4, the canary: a unique secret value, given only through {secretRef}, reaches the
// job (Flink shows it as the job's name, which the test job takes from --name) and nowhere in
// FJC's own records after a full scenario: create, run, upgrade, suspend, a missing secret, a
// refused literal, a dead letter. Every table of the world's database, every message (value,
// key, headers) of every topic of the world's prefix read from the beginning, every line every
// service wrote, the services' metrics and every API answer are searched for it.
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { topicRegistry } from '@fjc/contracts';
import { eventually, stackEnv, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';

describe('a secret given by reference', () => {
  // Two values: one from a file (as Kubernetes mounts a Secret), one from a variable.
  const fileCanary = `canary-file-${uniqueSuffix()}-${uniqueSuffix()}`;
  const envCanary = `canary-env-${uniqueSuffix()}-${uniqueSuffix()}`;
  const secretsDir = mkdtempSync(join(tmpdir(), 'fjc-secrets-'));
  const logDir = mkdtempSync(join(tmpdir(), 'fjc-canary-logs-'));
  const jobId = `canary-${uniqueSuffix()}`;
  const spec = (rate: string, state = 'running') =>
    exampleSpec('stream-stateless.yaml', jobId, (s) => {
      s.state = state;
      s.args = ['--mode', 'stream', '--rate', rate, '--name', { secretRef: 'default/canary/job-name' }];
      s.env_vars = { DB_PASSWORD: { secretRef: 'default/canary/db-password' } };
    });
  let fjc: FjcSystem;
  const answers: string[] = [];
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fjc.request(method, path, body);
    answers.push(JSON.stringify(res.body));
    return res;
  };
  const flinkJobName = async (flinkJobId: string): Promise<string> =>
    ((await (await fetch(`${stackEnv('FLINK_REST_URL')}/jobs/${flinkJobId}`)).json()) as { name: string }).name;

  beforeAll(async () => {
    mkdirSync(join(secretsDir, 'default', 'canary'), { recursive: true });
    writeFileSync(join(secretsDir, 'default', 'canary', 'job-name'), `${fileCanary}\n`, { mode: 0o600 });
    fjc = await FjcSystem.start({
      logDir,
      env: { FJC_SECRETS_DIR: secretsDir, FJC_SECRET_DEFAULT_CANARY_DB_PASSWORD: envCanary, LOG_LEVEL: 'debug' },
    });
  });
  afterAll(async () => {
    await fjc?.stop();
    rmSync(secretsDir, { recursive: true, force: true });
    rmSync(logDir, { recursive: true, force: true });
  });

  it('reaches the job: Flink runs it under the name the secret holds', async () => {
    expect((await call('PUT', `/jobs/${jobId}`, spec('5'))).status).toBe(201);
    const job = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== null, 'RUNNING', 90_000);
    expect(await flinkJobName(job.flinkJobId as string)).toBe(fileCanary);
  });

  it('survives an upgrade and a suspend, resolved again for the new Flink job', async () => {
    const first = (await fjc.job(jobId)).flinkJobId as string;
    expect((await call('PUT', `/jobs/${jobId}`, spec('6'))).status).toBe(200);
    const upgraded = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== null && j.flinkJobId !== first, 'RUNNING upgraded');
    expect(await flinkJobName(upgraded.flinkJobId as string)).toBe(fileCanary);
    expect((await call('POST', `/jobs/${jobId}/suspend`)).status).toBeLessThan(300);
    await fjc.waitForState(jobId, (j) => j.state === 'SUSPENDED', 'SUSPENDED');
  });

  it('a reference nobody has fails the action with FJC_SECRET_NOT_FOUND naming it', async () => {
    const missingJob = `${jobId}-missing`;
    const missing = exampleSpec('stream-stateless.yaml', missingJob, (s) => {
      s.args = ['--mode', 'stream', '--name', { secretRef: 'default/canary/nobody-has-this' }];
    });
    expect((await call('PUT', `/jobs/${missingJob}`, missing)).status).toBe(201);
    const failed = await eventually(
      'the deploy failed',
      async () => (await fjc.events(missingJob)).find((e) => e.type === 'ActionFailed'),
      (e) => e !== undefined,
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect((failed?.payload as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'FJC_SECRET_NOT_FOUND',
      message: expect.stringContaining('canary/nobody-has-this'),
    });
    answers.push(JSON.stringify(await fjc.events(missingJob)), JSON.stringify(await fjc.job(missingJob)));
  });

  it('a literal under a secret-looking name is refused at apply, pointing to secretRef', async () => {
    const literal = exampleSpec('stream-stateless.yaml', `${jobId}-literal`, (s) => {
      s.env_vars = { DB_PASSWORD: 'not-a-canary' };
    });
    const res = await call('PUT', `/jobs/${jobId}-literal`, literal);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('FJC_SPEC_LITERAL_SECRET');
    expect(JSON.stringify(res.body)).toContain('secretRef');
  });

  it("a reference to another namespace's secret is refused at apply with FJC_SECRET_OUT_OF_NAMESPACE, naming the field", async () => {
    const foreign = exampleSpec('stream-stateless.yaml', `${jobId}-foreign`, (s) => {
      s.args = ['--mode', 'stream', '--name', { secretRef: 'team-b/canary/job-name' }];
    });
    const res = await call('PUT', `/jobs/${jobId}-foreign`, foreign);
    expect(res.status).toBe(400);
    expect((res.body as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ code: 'FJC_SECRET_OUT_OF_NAMESPACE', path: 'args[3].secretRef' })]);
  });

  it('a spec command with references that cannot be answered is dead-lettered with the references only', async () => {
    const kafka = new Kafka({ clientId: 'canary-upstream', brokers: stackEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    // No commandId: no result can be sent, so the spec-service dead-letters the whole value.
    const topics = topicRegistry(fjc.world.topicPrefix);
    await producer.send({ topic: topics.specCommands.name, messages: [{ key: jobId, value: JSON.stringify({ kind: 'ApplySpec', spec: spec('7') }) }] });
    await producer.disconnect();
    const letters = await eventually('a dead letter', () => readTopic(kafka, topics.dlq.name), (m) => m.length > 0, { timeoutMs: 60_000, intervalMs: 1_000 });
    expect(letters.join('\n')).toContain('canary/job-name');
  });

  it('is in no table, no topic, no log line, no metric and no API answer', async () => {
    for (const path of ['/jobs', `/jobs/${jobId}`, `/jobs/${jobId}/versions`, `/jobs/${jobId}/events`, '/events']) {
      const res = await call('GET', path);
      expect(res.status).toBe(200);
    }
    // What was searched must contain the references, or the search proves nothing.
    const api = answers.join('\n');
    expect(api).toContain('canary/job-name');

    const tables = await dumpDatabase(fjc.world.db.url);
    expect(tables.length).toBeGreaterThan(5);
    expect(tables.join('\n')).toContain('canary/db-password');

    const kafka = new Kafka({ clientId: 'canary-reader', brokers: stackEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(fjc.world.topicPrefix));
    await admin.disconnect();
    expect(topics.length).toBeGreaterThan(5);
    const messages = (await Promise.all(topics.map((t) => readTopic(kafka, t)))).flat();
    expect(messages.join('\n')).toContain('canary/job-name');

    const metrics = await Promise.all([...fjc.services.values()].map(async (s) => (await fetch(`${s.url}/metrics`)).text()));
    expect(metrics.join('').length).toBeGreaterThan(0);

    await Promise.all([...fjc.services.values()].map((s) => s.stop())); // all their lines are written
    const logs = readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8'));
    expect(logs).toHaveLength(4);
    expect(logs.join('\n')).toContain('flink.job.submitted');

    for (const canary of [fileCanary, envCanary]) {
      expect({ where: 'API', found: api.includes(canary) }).toEqual({ where: 'API', found: false });
      expect({ where: 'tables', found: tables.filter((row) => row.includes(canary)) }).toEqual({ where: 'tables', found: [] });
      expect({ where: 'topics', found: messages.filter((m) => m.includes(canary)) }).toEqual({ where: 'topics', found: [] });
      expect({ where: 'metrics', found: metrics.some((m) => m.includes(canary)) }).toEqual({ where: 'metrics', found: false });
      expect({ where: 'logs', found: logs.flatMap((l) => l.split('\n')).filter((line) => line.includes(canary)) }).toEqual({ where: 'logs', found: [] });
    }
  });
});

/** Every row of every table of the database, as JSON text, prefixed with its table. */
async function dumpDatabase(url: string): Promise<string[]> {
  const db = new Pool({ connectionString: url, max: 1 });
  try {
    const tables = await db.query<{ schema: string; name: string }>(
      `select table_schema as schema, table_name as name from information_schema.tables
       where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    );
    const rows: string[] = [];
    for (const t of tables.rows) {
      const res = await db.query<{ row: string }>(`select row_to_json(t)::text as row from "${t.schema}"."${t.name}" t`);
      rows.push(`${t.schema}.${t.name}`, ...res.rows.map((r) => `${t.schema}.${t.name}: ${r.row}`));
    }
    return rows;
  } finally {
    await db.end();
  }
}

/** Every message of a topic from the beginning (value, key and headers as text), up to its end offsets now. */
async function readTopic(kafka: Kafka, topic: string): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const wanted = ends.filter((p) => Number(p.high) > Number(p.low));
  if (wanted.length === 0) return [];
  const consumer = kafka.consumer({ groupId: `canary-${uniqueSuffix()}` });
  const out: string[] = [];
  const left = new Map(wanted.map((p) => [p.partition, Number(p.high)]));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${topic}: not read to its end within 60 s`)), 60_000);
    void consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const headers = Object.entries(message.headers ?? {}).map(([k, v]) => `${k}=${String(v)}`);
        out.push(`${topic}[${partition}]@${message.offset} ${String(message.key)} ${String(message.value)} ${headers.join(' ')}`);
        if (Number(message.offset) + 1 >= (left.get(partition) ?? 0)) left.delete(partition);
        if (left.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return out;
}
