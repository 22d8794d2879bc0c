// Scenarios 4 and 5: bad input is refused with the field named and leaves nothing behind,
// over HTTP and over Kafka; an upstream system using a plain Kafka client gets exactly one
// result for its command and its job runs.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { eventually, stackEnv, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';

interface CommandResult {
  commandId: string;
  jobId: string;
  status: string;
  version?: number;
  errors?: Array<{ path: string; message: string }>;
}

describe('bad input and upstream commands', () => {
  let fjc: FjcSystem;
  let producer: Producer;
  let consumer: Consumer;
  const results: CommandResult[] = [];

  beforeAll(async () => {
    fjc = await FjcSystem.start();
    // A plain kafkajs client, as an upstream system would use: none of FJC's libraries.
    const kafka = new Kafka({ clientId: 'upstream-ci', brokers: stackEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
    producer = kafka.producer();
    await producer.connect();
    consumer = kafka.consumer({ groupId: `upstream-${uniqueSuffix()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: `${fjc.world.topicPrefix}spec.command-results`, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void results.push(JSON.parse(String(message.value)) as CommandResult) });
  });
  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await fjc?.stop();
  });

  // As an upstream system sends: with its credential in the authorization header (the world's admin token).
  const send = (command: Record<string, unknown>) =>
    producer.send({
      topic: `${fjc.world.topicPrefix}spec.commands`,
      messages: [{ key: String(command.jobId), value: JSON.stringify(command), headers: { authorization: `Bearer ${fjc.world.adminToken}` } }],
    });

  it('4a. refuses an invalid spec over HTTP with the field named, and appends nothing', async () => {
    const jobId = `bad-${uniqueSuffix()}`;
    const spec = exampleSpec('stream-stateless.yaml', jobId, (s) => {
      (s.deployment as Record<string, unknown>).parallelism = 0;
    });
    const res = await fjc.request('PUT', `/jobs/${jobId}`, spec);
    expect(res.status).toBe(400);
    expect((res.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain('deployment.parallelism');
    const feed = await fjc.request('GET', '/events?after=0&limit=1000');
    expect(JSON.stringify(feed.body)).not.toContain(jobId);
    expect((await fjc.request('GET', `/jobs/${jobId}`)).status).toBe(404);
  });

  it('4b. answers an invalid spec over Kafka with a rejected result naming the field', async () => {
    const jobId = `bad-kafka-${uniqueSuffix()}`;
    const commandId = randomUUID();
    await send({ commandId, type: 'ApplySpec', jobId, spec: exampleSpec('stream-stateless.yaml', jobId, (s) => (s.job_typ = 'stream')) });
    const result = await eventually('a result', async () => results.find((r) => r.commandId === commandId), (r) => r !== undefined, { timeoutMs: 30_000 });
    expect(result).toMatchObject({ commandId, jobId, status: 'rejected' });
    expect(result?.errors?.map((e) => e.path)).toContain('job_typ');
    expect((await fjc.request('GET', `/jobs/${jobId}`)).status).toBe(404);
  });

  it('5. accepts an ApplySpec from a plain Kafka client exactly once, and runs the job', async () => {
    const jobId = `upstream-${uniqueSuffix()}`;
    const commandId = randomUUID();
    const command = { commandId, type: 'ApplySpec', jobId, spec: exampleSpec('stream-stateless.yaml', jobId) };
    await send(command);
    await send(command); // a re-sent command must not make a second version or a second, different result
    const accepted = await eventually('an accepted result', async () => results.filter((r) => r.commandId === commandId), (r) => r.length > 0, { timeoutMs: 30_000 });
    expect(accepted[0]).toMatchObject({ commandId, jobId, status: 'accepted', version: 1 });
    const job = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING', 'RUNNING', 90_000);
    expect((await fjc.flink.job(job.flinkJobId as string))?.state).toBe('RUNNING');
    expect(job.version).toBe(1);
    expect(new Set(results.filter((r) => r.commandId === commandId).map((r) => JSON.stringify(r))).size).toBe(1);
    // The actor is the credential's identity, never one the message names.
    expect((await fjc.events(jobId)).find((e) => e.type === 'SpecUpdated')?.actor).toMatchObject({ kind: 'service', issuer: 'fjc:api-token', id: expect.stringMatching(/^token:bootstrap-admin-/) });

    // Free the slot for the next scenarios.
    await send({ commandId: randomUUID(), type: 'DeleteJob', jobId });
    await fjc.waitForState(jobId, (j) => j.state === 'DELETED', 'DELETED');
  });
});
