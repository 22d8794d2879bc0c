// Upstream commands over Kafka, sent and read by a plain kafkajs client (not FJC's libraries),
// against the built spec-service and the real PostgreSQL and Kafka: exactly one result per
// commandId on spec.command-results, rejected results naming the field, re-sent commands with
// no second effect and no second result, SpecUpdated on spec.events carrying the command's
// identity, and no result lost across a kill -9. Every command carries a credential in its
// authorization header (FJC API tokens made with `fjc token create`); one without, or one whose
// identity may not do what it asks, gets one rejected result and appends nothing.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Consumer, Producer } from 'kafkajs';
import { parse } from 'yaml';
import { eventually, stackEnv } from '@fjc/testing';
import { startSpecService, type SpecServiceWorld } from './testing/spec-service-world';

const ROOT = join(__dirname, '..', '..', '..');
const JOB = 'orders-upstream';
const spec = parse(readFileSync(join(ROOT, 'examples', 'specs', 'stream-savepoint.yaml'), 'utf8').replace('job_id: orders-counter-savepoint', `job_id: ${JOB}`)) as {
  deployment: Record<string, unknown>;
} & Record<string, unknown>;
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

interface Received {
  readonly topic: string;
  readonly key: string | null;
  readonly headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked by expect()
  readonly value: any;
}

let s: SpecServiceWorld;
/** API tokens: `ci-pipeline` (admin everywhere: it also deletes), `team-a-bot` (operator of team-a only). */
let ciToken: string;
let teamAToken: string;
let producer: Producer;
let consumer: Consumer;
const received: Received[] = [];
const topic = (suffix: string) => `${s.world.topicPrefix}${suffix}`;

beforeAll(async () => {
  s = await startSpecService();
  ciToken = await createToken('ci-pipeline', 'admin', '*');
  teamAToken = await createToken('team-a-bot', 'operator', 'team-a');
  producer = s.kafka.producer();
  await producer.connect();
  consumer = s.kafka.consumer({ groupId: `spec-service-int-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic('spec.command-results'), topic('spec.events'), topic('dlq')], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic: t, message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
      received.push({ topic: t, key: message.key?.toString() ?? null, headers, value: JSON.parse(message.value?.toString() ?? 'null') });
    },
  });
});
afterAll(async () => {
  await consumer?.disconnect();
  await producer?.disconnect();
  await s?.close();
});

/** Sends as `ci-pipeline` unless told otherwise (`token` null: no authorization header). */
function send(command: Record<string, unknown>, key: string | null = (command.jobId as string) ?? null, token: string | null = ciToken): Promise<unknown> {
  const headers: Record<string, string> = { traceparent: TRACEPARENT, ...(token === null ? {} : { authorization: `Bearer ${token}` }) };
  return producer.send({ topic: topic('spec.commands'), messages: [{ key, value: JSON.stringify(command), headers }] });
}

async function createToken(name: string, role: string, namespace: string): Promise<string> {
  const created = await fjc('token', 'create', '--name', name, '--role', role, '--namespace', namespace);
  expect(created).toMatchObject({ code: 0 });
  return created.stdout.trim();
}

const resultsOf = (commandId: string) => received.filter((m) => m.topic === topic('spec.command-results') && m.value.commandId === commandId);

async function resultOf(commandId: string) {
  const [result] = await eventually(`the result of ${commandId}`, async () => resultsOf(commandId), (r) => r.length > 0, { timeoutMs: 60_000 });
  return result;
}

/** The built CLI, run as a person runs it (asynchronously: the consumer above keeps reading). */
function fjc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'tools', 'cli', 'bin', 'fjc.js'), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, KAFKA_BROKERS: stackEnv('KAFKA_BROKERS'), FJC_TOPIC_PREFIX: s.world.topicPrefix, DATABASE_URL: s.world.db.url, FJC_TOKEN: s.world.adminToken },
      },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const command = (type: string, extra: Record<string, unknown> = {}) => ({ commandId: randomUUID(), type, jobId: JOB, ...extra });

describe('ApplySpec on spec.commands', () => {
  const apply = command('ApplySpec', { spec, actor: { kind: 'upstream', id: 'ci-pipeline' } });

  it('gets exactly one accepted result, keyed by the job', async () => {
    await send(apply);
    const result = await resultOf(apply.commandId);
    expect(result.value).toEqual({ commandId: apply.commandId, jobId: JOB, status: 'accepted', version: 1 });
    expect(result.key).toBe(JOB);
  });

  it('publishes SpecUpdated on spec.events with the command as correlation and cause, and the authenticated actor', async () => {
    const event = await eventually(
      'SpecUpdated on spec.events',
      async () => received.find((m) => m.topic === topic('spec.events') && m.value.correlationId === apply.commandId),
      (m) => m !== undefined,
    );
    expect(event?.key).toBe(JOB);
    // The command's trace continues: the event is published in a span of the same trace (its own
    // span id, the relay's publish span: OpenTelemetry's messaging conventions).
    expect(event?.headers['event-type']).toBe('SpecUpdated');
    expect(event?.headers.traceparent).toMatch(new RegExp(`^00-${TRACEPARENT.split('-')[1]}-[0-9a-f]{16}-01$`));
    expect(event?.headers.traceparent).not.toBe(TRACEPARENT);
    expect(event?.value).toMatchObject({
      type: 'SpecUpdated',
      jobId: JOB,
      streamVersion: 1,
      producer: 'spec-service',
      actor: { kind: 'service', id: 'token:ci-pipeline', issuer: 'fjc:api-token', subject: 'token:ci-pipeline', name: 'ci-pipeline' },
      correlationId: apply.commandId,
      causationId: apply.commandId,
      payload: { version: 1, spec: { job_id: JOB, deployment: { parallelism: 1, upgrade_mode: 'savepoint' } } },
    });
  });

  it('applies a re-sent command (same commandId) once: no second version, no second result', async () => {
    await send({ ...apply, spec: { ...spec, deployment: { ...spec.deployment, parallelism: 2 } } });
    // Results of one job come in order: once a later command's result is out, the re-sent one was handled.
    const barrier = command('SuspendJob');
    await send(barrier);
    expect((await resultOf(barrier.commandId)).value).toMatchObject({ status: 'accepted', version: 2 });
    expect(resultsOf(apply.commandId)).toHaveLength(1);
    expect(await s.logOf(JOB)).toEqual(['SpecUpdated', 'JobSuspendRequested']);
  });

  it('answers the same spec again as unchanged', async () => {
    const again = command('ApplySpec', { spec: { ...spec, state: 'suspended' } });
    await send(again);
    expect((await resultOf(again.commandId)).value).toEqual({ commandId: again.commandId, jobId: JOB, status: 'unchanged', version: 2 });
  });

  it('rejects an invalid spec naming the field, and appends nothing', async () => {
    const bad = command('ApplySpec', { jobId: 'orders-invalid', spec: { ...spec, job_id: 'orders-invalid', deployment: { ...spec.deployment, parallelism: 0 } } });
    await send(bad);
    expect((await resultOf(bad.commandId)).value).toEqual({
      commandId: bad.commandId,
      jobId: 'orders-invalid',
      status: 'rejected',
      errors: [{ path: 'deployment.parallelism', message: 'must be at least 1, got 0', code: 'FJC_SPEC_OUT_OF_RANGE' }],
    });
    expect(await s.logOf('orders-invalid')).toEqual([]);
  });

  it('rejects a stale expectedVersion and a spec for another job', async () => {
    const stale = command('ApplySpec', { spec, expectedVersion: 1 });
    const other = command('ApplySpec', { jobId: 'someone-else', spec });
    await send(stale);
    await send(other);
    expect((await resultOf(stale.commandId)).value).toMatchObject({ status: 'rejected', errors: [{ path: 'expectedVersion', code: 'FJC_VERSION_CONFLICT' }] });
    expect((await resultOf(other.commandId)).value).toMatchObject({ status: 'rejected', errors: [{ path: 'job_id', code: 'FJC_JOB_ID_MISMATCH' }] });
  });
});

describe('other commands', () => {
  it('resumes, rolls back (as the credential\'s identity when no actor is given), deletes, and creates the job again', async () => {
    const resume = command('ResumeJob');
    const rollback = command('RollbackJob', { toVersion: 2 });
    const remove = command('DeleteJob', { expectedVersion: 4 });
    const afterDelete = command('ApplySpec', { spec });
    for (const c of [resume, rollback, remove, afterDelete]) await send(c);
    expect((await resultOf(resume.commandId)).value).toMatchObject({ status: 'accepted', version: 3 });
    expect((await resultOf(rollback.commandId)).value).toMatchObject({ status: 'accepted', version: 4 });
    expect((await resultOf(remove.commandId)).value).toMatchObject({ status: 'accepted', version: 4 });
    expect((await resultOf(afterDelete.commandId)).value).toMatchObject({ status: 'accepted', version: 5 });
    const events = (await s.http(`/api/v1/jobs/${JOB}/events`)).body.events;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['SpecUpdated', 'JobSuspendRequested', 'JobResumeRequested', 'JobRolledBack', 'JobDeleteRequested', 'SpecUpdated']);
    expect(events[3]).toMatchObject({ actor: { kind: 'service', id: 'token:ci-pipeline' }, correlationId: rollback.commandId, payload: { toVersion: 2, fromVersion: 3 } });
    // The result has no field for warnings: the rollback's (version 2 has no savepoint recorded) are logged.
    const warned = s.service
      .logs(1000)
      .split('\n')
      .filter((l) => l.includes('"spec.rollback.warnings"'))
      .map((l) => JSON.parse(l) as { jobId: string; toVersion: number; warnings: { code: string }[] });
    expect(warned).toEqual([expect.objectContaining({ jobId: JOB, toVersion: 2, warnings: [expect.objectContaining({ code: 'FJC_ROLLBACK_NO_SAVEPOINT' })] })]);
  });

  it('rejects a malformed command naming the field; a message without commandId goes to the DLQ', async () => {
    const unknown = { commandId: randomUUID(), type: 'RestartJob', jobId: 'orders-other' };
    const noVersion = { commandId: randomUUID(), type: 'RollbackJob', jobId: 'orders-other' };
    await send(unknown);
    await send(noVersion);
    await send({ type: 'ApplySpec', jobId: 'orders-other', spec }, 'orders-other');
    expect((await resultOf(unknown.commandId)).value).toMatchObject({ jobId: 'orders-other', status: 'rejected', errors: [{ path: 'type', code: 'FJC_SPEC_INVALID_VALUE' }] });
    expect((await resultOf(noVersion.commandId)).value).toMatchObject({ status: 'rejected', errors: [{ path: 'toVersion', code: 'FJC_SPEC_REQUIRED' }] });
    const dead = await eventually('the DLQ record', async () => received.find((m) => m.topic === topic('dlq')), (m) => m !== undefined);
    expect(dead?.value).toMatchObject({ code: 'FJC_DLQ_NO_COMMAND_ID', sourceTopic: topic('spec.commands'), key: 'orders-other', headers: { traceparent: TRACEPARENT } });
    expect(dead?.value.reason).toBe('The command has no commandId (a non-empty string), so no result can be sent for it.');
  });

  it('fjc dlq lists and shows the dead letter the service wrote, and replays it to spec.commands once', async () => {
    const dead = received.find((m) => m.topic === topic('dlq'));
    const list = await fjc('dlq', 'list');
    expect(list.code).toBe(0);
    const row = list.stdout.split('\n').find((l) => l.includes('FJC_DLQ_NO_COMMAND_ID'));
    expect(row?.split(/\s+/).slice(1, 4)).toEqual(['FJC_DLQ_NO_COMMAND_ID', topic('spec.commands'), 'orders-other']);
    const id = row?.split(/\s+/)[0] ?? '';
    const show = await fjc('dlq', 'show', id);
    expect(show.stdout).toContain(`traceparent: ${TRACEPARENT}`);
    // The credential the message carried is not in the dead letter, which says so.
    expect(dead?.value).toMatchObject({ removedHeaders: ['authorization'] });
    expect(JSON.stringify(dead?.value)).not.toContain(ciToken);
    expect(show.stdout).toContain('authorization: (a credential, not kept');
    expect(show.stdout).toContain(`reason:      ${dead?.value.reason}`);

    const replay = await fjc('dlq', 'replay', id);
    expect(replay.stdout).toMatch(new RegExp(`^replayed ${id} \\(FJC_DLQ_NO_COMMAND_ID\\) to ${topic('spec.commands').replace(/\./g, '\\.')} partition \\d+ offset \\d+, once;`));
    // Still without a commandId, the copy is dead-lettered again, naming the dead letter it came from.
    const again = await eventually(
      'the replayed copy dead-lettered again',
      async () => received.filter((m) => m.topic === topic('dlq') && m.value.headers?.['fjc-dlq-replay-of'] === `${topic('dlq')}:${id}`),
      (r) => r.length > 0,
    );
    // The replay carried the replaying operator's token in place of the removed credential.
    expect(again[0].value).toMatchObject({ code: 'FJC_DLQ_NO_COMMAND_ID', key: 'orders-other', value: dead?.value.value, headers: { traceparent: TRACEPARENT }, removedHeaders: ['authorization'] });
    const twice = await fjc('dlq', 'replay', id);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/FJC_DLQ_ALREADY_REPLAYED/);
  });

  it('answers a command whose commandId is malformed with exactly one rejected result naming commandId, even when re-sent', async () => {
    const malformed = { commandId: 'not-a-uuid', type: 'SuspendJob', jobId: 'orders-malformed' };
    await send(malformed);
    await send(malformed);
    // A barrier on the same partition (same key): once its result is out, both copies were handled.
    const barrier = command('SuspendJob', { jobId: 'orders-malformed' });
    await send(barrier);
    await resultOf(barrier.commandId);
    const results = resultsOf('not-a-uuid');
    expect(results).toHaveLength(1);
    expect(results[0].value).toMatchObject({ commandId: 'not-a-uuid', jobId: 'orders-malformed', status: 'rejected', errors: [{ path: 'commandId', code: 'FJC_SPEC_INVALID_FORMAT' }] });
    expect(results[0].headers['command-id']).toBe('not-a-uuid');
    expect(received.filter((m) => m.topic === topic('dlq') && String(m.value.value).includes('not-a-uuid'))).toEqual([]);
  });
});

describe('credentials', () => {
  const spec = (jobId: string, namespace: string) => ({ ...specOf(jobId), namespace });
  const specOf = (jobId: string) => ({ ...baseSpec, job_id: jobId });
  const baseSpec = parse(readFileSync(join(ROOT, 'examples', 'specs', 'stream-stateless.yaml'), 'utf8')) as Record<string, unknown>;

  it('answers a command without a credential, or with an unknown token, with one rejected result, and appends nothing', async () => {
    const bare = command('ApplySpec', { jobId: 'cred-none', spec: spec('cred-none', 'team-a') });
    const forged = command('ApplySpec', { jobId: 'cred-forged', spec: spec('cred-forged', 'team-a') });
    await send(bare, 'cred-none', null);
    await send(forged, 'cred-forged', 'fjc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await resultOf(bare.commandId)).value).toEqual({
      commandId: bare.commandId,
      jobId: 'cred-none',
      status: 'rejected',
      errors: [{ code: 'FJC_UNAUTHENTICATED', path: 'headers.authorization', message: 'this request needs an Authorization: Bearer header' }],
    });
    expect((await resultOf(forged.commandId)).value).toMatchObject({ status: 'rejected', errors: [{ code: 'FJC_UNAUTHENTICATED', message: 'the API token is unknown or revoked' }] });
    expect(await s.logOf('cred-none')).toEqual([]);
    expect(await s.logOf('cred-forged')).toEqual([]);
  });

  it('lets an operator of team-a write team-a, and refuses team-b, and moving a team-a job to team-b', async () => {
    const own = command('ApplySpec', { jobId: 'cred-a', spec: spec('cred-a', 'team-a') });
    const other = command('ApplySpec', { jobId: 'cred-b', spec: spec('cred-b', 'team-b') });
    await send(own, 'cred-a', teamAToken);
    await send(other, 'cred-b', teamAToken);
    expect((await resultOf(own.commandId)).value).toMatchObject({ status: 'accepted', version: 1 });
    expect((await resultOf(other.commandId)).value).toMatchObject({
      status: 'rejected',
      errors: [{ code: 'FJC_FORBIDDEN', message: 'apply of cred-b needs the operator role in namespace team-b' }],
    });
    expect(await s.logOf('cred-b')).toEqual([]);
    const move = command('ApplySpec', { jobId: 'cred-a', spec: spec('cred-a', 'team-b') });
    await send(move, 'cred-a', teamAToken);
    expect((await resultOf(move.commandId)).value).toMatchObject({ status: 'rejected', errors: [{ code: 'FJC_FORBIDDEN' }] });
    expect(await s.logOf('cred-a')).toEqual(['SpecUpdated']);
  });

  it('treats a job of a namespace the caller cannot see as not found', async () => {
    const create = command('ApplySpec', { jobId: 'cred-hidden', spec: spec('cred-hidden', 'team-b') });
    await send(create, 'cred-hidden', ciToken);
    expect((await resultOf(create.commandId)).value).toMatchObject({ status: 'accepted' });
    const suspend = command('SuspendJob', { jobId: 'cred-hidden' });
    await send(suspend, 'cred-hidden', teamAToken);
    expect((await resultOf(suspend.commandId)).value).toMatchObject({ status: 'rejected', errors: [{ code: 'FJC_JOB_NOT_FOUND' }] });
    expect(await s.logOf('cred-hidden')).toEqual(['SpecUpdated']);
  });

  it('refuses a command naming an actor other than its credential\'s identity', async () => {
    const spoofed = command('SuspendJob', { jobId: 'cred-a', actor: { kind: 'service', id: 'reconciler' } });
    await send(spoofed, 'cred-a', teamAToken);
    expect((await resultOf(spoofed.commandId)).value).toMatchObject({ status: 'rejected', errors: [{ code: 'FJC_FORBIDDEN', path: 'actor' }] });
    expect(await s.logOf('cred-a')).toEqual(['SpecUpdated']);
  });
});

describe('across a crash', () => {
  it('answers a command sent while the service was down, once, after a kill -9 and restart', async () => {
    s.service.kill9();
    const apply = command('ApplySpec', { jobId: 'orders-after-crash', spec: { ...spec, job_id: 'orders-after-crash' } });
    await send(apply);
    await s.service.start();
    expect((await resultOf(apply.commandId)).value).toMatchObject({ status: 'accepted', version: 1 });
    const barrier = command('SuspendJob', { jobId: 'orders-after-crash' });
    await send(barrier);
    await resultOf(barrier.commandId);
    expect(resultsOf(apply.commandId)).toHaveLength(1);
    expect(await s.logOf('orders-after-crash')).toEqual(['SpecUpdated', 'JobSuspendRequested']);
  });
});
