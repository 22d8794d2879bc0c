// `fjc dlq list|show|replay` against the real Kafka of the local stack, run as a person runs
// them: the built CLI as a child process, on topics of a prefix of their own.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { DeadLetter } from '@fjc/contracts';
import { eventually, stackEnv, uniqueSuffix } from '@fjc/testing';

const WORKSPACE = join(__dirname, '..', '..', '..');
const BIN = join(WORKSPACE, 'tools', 'cli', 'bin', 'fjc.js');

function fjc(env: Record<string, string>, ...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: WORKSPACE, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('fjc dlq (real Kafka)', () => {
  const prefix = `t${uniqueSuffix()}.`;
  const dlqTopic = `${prefix}dlq`;
  const source = `${prefix}spec.commands`;
  const env = { KAFKA_BROKERS: stackEnv('KAFKA_BROKERS'), FJC_TOPIC_PREFIX: prefix };
  const kafka = new Kafka({ clientId: 'dlq-test', brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  let admin: Admin;

  const letter = (offset: string, extra: Partial<DeadLetter>): DeadLetter => ({
    code: 'FJC_DLQ_HANDLER_FAILED',
    reason: "The handler failed 5 attempts; the service's log has the error under this message's topic, partition and offset.",
    sourceTopic: source,
    partition: 0,
    offset,
    key: 'orders',
    value: JSON.stringify({ commandId: '5f0cbb40-54d4-4a5e-9d4e-3bb4b8a3c1aa', type: 'SuspendJob', jobId: 'orders' }),
    receivedAt: '2026-11-28T09:00:00.000Z',
    consumer: `${prefix}spec-service`,
    attempts: 5,
    headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    ...extra,
  });

  /** How many messages the source topic holds (one partition, nothing deleted). */
  const sourceCount = async () => Number((await admin.fetchTopicOffsets(source))[0].high);

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: dlqTopic, numPartitions: 2 }, { topic: source, numPartitions: 1 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: dlqTopic,
      messages: [
        { partition: 0, key: 'orders', value: JSON.stringify(letter('12', {})), headers: { 'event-type': 'DeadLetter', 'dlq-code': 'FJC_DLQ_HANDLER_FAILED' } },
        { partition: 1, key: 'orders-bad', value: JSON.stringify(letter('13', { code: 'FJC_DLQ_NOT_JSON', key: 'orders-bad', value: 'this is {not json', reason: 'The message value is not JSON (or is empty), so it cannot be read.' })), headers: { 'event-type': 'DeadLetter' } },
      ],
    });
    await producer.disconnect();
  });
  afterAll(async () => {
    await admin?.deleteTopics({ topics: [dlqTopic, source] }).catch(() => undefined);
    await admin?.disconnect();
  });

  it('lists the dead letters by id, code, source topic, key and time, and commits nothing', async () => {
    const groupsBefore = (await admin.listGroups()).groups.map((g) => g.groupId);
    const run = fjc(env, 'dlq', 'list');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+CODE\s+SOURCE TOPIC\s+KEY\s+TIME\s+REPLAYED$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/))).toEqual([
      ['0:0', 'FJC_DLQ_HANDLER_FAILED', source, 'orders', '2026-11-28T09:00:00.000Z', '-'],
      ['1:0', 'FJC_DLQ_NOT_JSON', source, 'orders-bad', '2026-11-28T09:00:00.000Z', '-'],
    ]);
    // -o json: the same entries as data, the dead letters FJC wrote included, and nothing else on stdout.
    const json = JSON.parse(fjc(env, 'dlq', 'list', '-o', 'json').stdout) as { topic: string; deadLetters: Array<{ id: string; letter: { code: string } | null }> };
    expect(json.topic).toBe(dlqTopic);
    expect(json.deadLetters.map((e) => [e.id, e.letter?.code])).toEqual([
      ['0:0', 'FJC_DLQ_HANDLER_FAILED'],
      ['1:0', 'FJC_DLQ_NOT_JSON'],
    ]);
    // Its short-lived group is gone: it left nothing behind in Kafka.
    const groupsAfter = (await admin.listGroups()).groups.map((g) => g.groupId);
    expect(groupsAfter.filter((g) => !groupsBefore.includes(g) && g.startsWith('fjc-cli-dlq-'))).toEqual([]);
  });

  it('shows one dead letter in full', () => {
    const run = fjc(env, 'dlq', 'show', '0:0');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`id:          0:0 (${dlqTopic})`);
    expect(run.stdout).toContain("reason:      The handler failed 5 attempts; the service's log has the error");
    expect(run.stdout).toContain(`source:      ${source} partition 0 offset 12`);
    expect(run.stdout).toContain('  traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(run.stdout).toContain('"type": "SuspendJob"');
    const missing = fjc(env, 'dlq', 'show', '0:99');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/FJC_DLQ_NOT_FOUND: no dead letter 0:99/);
  });

  it('replays a dead letter to its source topic once, with its key and headers; a second replay needs --force', async () => {
    const first = fjc(env, 'dlq', 'replay', '0:0');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^replayed 0:0 \\(FJC_DLQ_HANDLER_FAILED\\) to ${source.replace(/\./g, '\\.')} partition 0 offset 0, once; recorded in`));
    expect(await sourceCount()).toBe(1);

    const again = fjc(env, 'dlq', 'replay', '0:0');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/FJC_DLQ_ALREADY_REPLAYED: 0:0 was already replayed to .* add --force/);
    expect(await sourceCount()).toBe(1);

    const forced = fjc(env, 'dlq', 'replay', '0:0', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/offset 1, once more \(forced\)/);
    expect(await sourceCount()).toBe(2);

    const consumer = kafka.consumer({ groupId: `dlq-test-${uniqueSuffix()}` });
    const seen: Array<{ key: string | null; value: string; headers: Record<string, string> }> = [];
    await consumer.connect();
    await consumer.subscribe({ topic: source, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) =>
        void seen.push({
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? '',
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        }),
    });
    await eventually('the two replayed copies', async () => seen.length, (n) => n >= 2, { timeoutMs: 30_000 });
    await consumer.disconnect();
    for (const m of seen) {
      expect(m).toEqual({
        key: 'orders',
        value: letter('12', {}).value,
        headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'fjc-dlq-replay-of': `${dlqTopic}:0:0` },
      });
    }

    // The markers are not dead letters; the list shows the replay, show lists both.
    const list = fjc(env, 'dlq', 'list');
    const rows = list.stdout.trim().split('\n').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^0:0\s+FJC_DLQ_HANDLER_FAILED\s+.*\d{4}-\d\d-\d\dT\S+Z \(2x\)$/);
    expect(rows[1]).toMatch(/\s-$/);
    const shown = fjc(env, 'dlq', 'show', '0:0').stdout;
    expect(shown).toMatch(new RegExp(`to ${source.replace(/\./g, '\\.')} partition 0 offset 0 by \\S+\\n.*partition 0 offset 1 by \\S+ \\(forced\\)`));
  });

  it('says so when there are no dead letters, and when Kafka cannot be reached', () => {
    const empty = fjc({ ...env, FJC_TOPIC_PREFIX: `t${uniqueSuffix()}.` }, 'dlq', 'list');
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/^no dead letters in t\S+\.dlq\n$/);
    const down = fjc(env, 'dlq', 'list', '--brokers', '127.0.0.1:1');
    expect(down.code).toBe(69);
    expect(down.stderr).toMatch(/FJC_KAFKA_UNREACHABLE: cannot reach Kafka at 127\.0\.0\.1:1/);
  });
});
