// The built scheduler as two real processes on PostgreSQL and Kafka: spec events published by
// a plain Kafka client become schedules, ticks reach fjc.schedule.ticks exactly once per
// (job, scheduled time) whichever instance writes them, max_runs stops a schedule, and
// suspend, resume and delete are followed.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { Pool } from 'pg';
import {
  JobDeleteRequestedEvent,
  JobResumeRequestedEvent,
  JobSuspendRequestedEvent,
  SpecUpdatedEvent,
  decodeEvent,
  specHash,
  validateSpec,
  validateSpecDocument,
  type EventOf,
  type JobSpec,
} from '@fjc/contracts';
import { appendToStream, inTransaction, newEventOfEnvelope } from '@fjc/event-log';
import { eventually, isolatedWorld, ServiceProcess, stackEnv, uniqueSuffix, type IsolatedWorld } from '@fjc/testing';
import { tickEventId } from './schedule/tick-event-id';

type Tick = EventOf<'ScheduleTick'>;

const EXAMPLE = join(__dirname, '..', '..', '..', 'examples', 'specs', 'batch-cron.yaml');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The example batch spec under a new job id, with another batch_config. */
function exampleSpec(jobId: string, batch: Record<string, unknown>, state: 'running' | 'suspended' = 'running'): JobSpec {
  const example = validateSpecDocument(readFileSync(EXAMPLE, 'utf8'), 'batch-cron.yaml');
  if (!example.ok) throw new Error(`example spec invalid: ${JSON.stringify(example.errors)}`);
  if (example.spec.job_type !== 'batch') throw new Error('batch-cron.yaml is not a batch spec');
  const changed = validateSpec({ ...example.spec, job_id: jobId, state, batch_config: { ...example.spec.batch_config, ...batch } });
  if (!changed.ok) throw new Error(`changed spec invalid: ${JSON.stringify(changed.errors)}`);
  return changed.spec;
}

function envelope(jobId: string, streamVersion: number) {
  return {
    id: randomUUID(),
    schemaVersion: 1 as const,
    jobId,
    streamVersion,
    occurredAt: new Date().toISOString(),
    producer: 'spec-service',
    actor: { kind: 'user' as const, id: 'scheduler-int-test' },
    correlationId: randomUUID(),
    causationId: null,
  };
}

describe('scheduler (two instances, real PostgreSQL and Kafka)', () => {
  let world: IsolatedWorld;
  let owner: Pool;
  let kafka: Kafka;
  let producer: Producer;
  let collector: Consumer;
  const schedulers: ServiceProcess[] = [];
  const ticks: Tick[] = [];
  const ticksOf = (jobId: string) => ticks.filter((t) => t.jobId === jobId);

  async function publish(event: Parameters<typeof newEventOfEnvelope>[0] & { streamVersion: number }): Promise<void> {
    // As the spec-service does: in the log first (the scheduler acts only on what the log holds).
    await inTransaction(owner, (tx) => appendToStream(tx, `spec-${event.jobId}`, event.streamVersion - 1, [newEventOfEnvelope(event)]));
    await producer.send({
      topic: `${world.topicPrefix}spec.events`,
      acks: -1,
      messages: [{ key: event.jobId, value: JSON.stringify(event), headers: { 'event-type': event.type } }],
    });
  }

  async function specUpdated(jobId: string, version: number, spec: JobSpec) {
    const event = SpecUpdatedEvent.parse({ ...envelope(jobId, version), type: 'SpecUpdated', payload: { version, specHash: specHash(spec), spec, warnings: [] } });
    await publish(event);
    return event;
  }

  async function scheduleRow(jobId: string) {
    const res = await owner.query<{ state: string; runs_so_far: number; spec_version: number }>(
      'select state, runs_so_far, spec_version from scheduler_schedules where job_id = $1',
      [jobId],
    );
    return res.rows[0] ?? null;
  }

  async function logTicks(jobId: string) {
    const res = await owner.query<{ event_id: string; stream_version: number }>(
      `select event_id, stream_version from event_log where stream_id = $1 order by stream_version`,
      [`scheduler-${jobId}`],
    );
    return res.rows;
  }

  /** A counter summed over both instances' /metrics. */
  async function metricSum(name: string, label = ''): Promise<number> {
    let sum = 0;
    for (const svc of schedulers) {
      const text = await (await fetch(`${svc.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(label));
      sum += line === undefined ? 0 : Number(line.split(' ').pop());
    }
    return sum;
  }

  beforeAll(async () => {
    world = await isolatedWorld({ FJC_SCHEDULER_INTERVAL_MS: '200', LOG_LEVEL: 'warn' });
    owner = new Pool({ connectionString: world.db.url, max: 2 });
    // One at a time: the first migrates the database and creates the topics.
    for (const instance of [1, 2]) {
      const svc = new ServiceProcess('scheduler', world.env, instance);
      schedulers.push(svc);
      await svc.start();
    }
    kafka = new Kafka({ clientId: 'scheduler-int-test', brokers: stackEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
    producer = kafka.producer();
    await producer.connect();
    collector = kafka.consumer({ groupId: `scheduler-int-${uniqueSuffix()}` });
    await collector.connect();
    await collector.subscribe({ topic: `${world.topicPrefix}schedule.ticks`, fromBeginning: true });
    await collector.run({
      eachMessage: async ({ message }) => {
        const decoded = decodeEvent(JSON.parse(message.value?.toString('utf8') ?? 'null'), { topic: 'scheduleTicks' });
        if (!decoded.ok) throw new Error(`unreadable tick: ${decoded.code} ${decoded.message}`);
        // Kafka delivery is at least once (the relay may publish an event again): like every
        // consumer, count each event id once. Exactly-once is checked on ids and in the log.
        if (decoded.event.type === 'ScheduleTick' && !ticks.some((t) => t.id === decoded.event.id)) ticks.push(decoded.event);
      },
    });
  }, 110_000);

  afterAll(async () => {
    await collector?.disconnect();
    await producer?.disconnect();
    await Promise.all(schedulers.map((s) => s.stop()));
    await owner?.end();
    if (world) {
      const admin = kafka.admin();
      await admin.connect();
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(world.topicPrefix));
      await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.disconnect();
      await world.close();
    }
  });

  it('answers its probes on both instances', async () => {
    for (const svc of schedulers) {
      const ready = await fetch(`${svc.url}/health/ready`);
      expect(ready.status).toBe(200);
      const metrics = await (await fetch(`${svc.url}/metrics`)).text();
      expect(metrics).toMatch(/fjc_scheduler_ticks_emitted_total\{service="scheduler"\}/);
      expect(metrics).toMatch(/fjc_scheduler_schedules_active\{service="scheduler"\}/);
    }
  });

  it('ticks a per-second cron exactly max_runs times, once per scheduled time, across both instances', async () => {
    const jobIds = [1, 2, 3, 4].map((n) => `cron-${n}-${uniqueSuffix()}`);
    const causes = new Map<string, string>();
    for (const jobId of jobIds) causes.set(jobId, (await specUpdated(jobId, 1, exampleSpec(jobId, { cron: '* * * * * *', max_runs: 3 }))).id);

    await eventually('3 ticks for every job', async () => jobIds.map((j) => ticksOf(j).length), (n) => n.every((c) => c >= 3), { timeoutMs: 30_000 });
    // Past max_runs nothing more comes, from either instance.
    await sleep(3_000);

    for (const jobId of jobIds) {
      const mine = ticksOf(jobId);
      expect(mine.map((t) => t.payload.runNumber)).toEqual([1, 2, 3]);
      const times = mine.map((t) => Date.parse(t.payload.scheduledTime));
      expect(new Set(times).size).toBe(3);
      // Consecutive seconds: no time skipped, none repeated.
      expect([times[1] - times[0], times[2] - times[1]]).toEqual([1000, 1000]);
      for (const t of mine) {
        expect(t).toMatchObject({
          producer: 'scheduler',
          actor: { kind: 'service', id: 'scheduler' },
          causationId: causes.get(jobId),
          payload: { specVersion: 1, cron: '* * * * * *', timezone: 'Europe/Berlin' },
        });
        expect(t.id).toBe(tickEventId(jobId, t.payload.scheduledTime));
      }
      expect(new Set(mine.map((t) => t.correlationId)).size).toBe(3);
      expect((await logTicks(jobId)).map((r) => r.stream_version)).toEqual([1, 2, 3]);
      expect(await scheduleRow(jobId)).toMatchObject({ state: 'exhausted', runs_so_far: 3 });
    }
    expect(await metricSum('fjc_scheduler_ticks_emitted_total')).toBe(12);
  });

  it('never writes a tick twice: a schedule sent back to times already ticked finds them in the log', async () => {
    const jobId = `rewind-${uniqueSuffix()}`;
    await specUpdated(jobId, 1, exampleSpec(jobId, { cron: '* * * * * *', max_runs: 2 }));
    await eventually('2 ticks', async () => ticksOf(jobId).length, (n) => n >= 2, { timeoutMs: 20_000 });
    await eventually('exhausted', () => scheduleRow(jobId), (r) => r?.state === 'exhausted');

    // What a skewed clock or a rebuilt table could do: make the first two times due again,
    // now with room for two more runs.
    const first = ticksOf(jobId)[0].payload.scheduledTime;
    const duplicatesBefore = await metricSum('fjc_scheduler_ticks_duplicate_total');
    await owner.query(`update scheduler_schedules set state = 'active', max_runs = 4, next_fire_at = $2 where job_id = $1`, [jobId, first]);

    await eventually('4 ticks in the log', async () => (await logTicks(jobId)).length, (n) => n >= 4, { timeoutMs: 20_000 });
    await sleep(2_000);
    expect((await logTicks(jobId)).map((r) => r.stream_version)).toEqual([1, 2, 3, 4]);
    expect(await scheduleRow(jobId)).toMatchObject({ state: 'exhausted', runs_so_far: 4 });
    expect((await metricSum('fjc_scheduler_ticks_duplicate_total')) - duplicatesBefore).toBe(2);
    await eventually('4 ticks on the topic', async () => ticksOf(jobId).length, (n) => n >= 4, { timeoutMs: 10_000 });
    const mine = ticksOf(jobId);
    expect(mine.map((t) => t.payload.runNumber)).toEqual([1, 2, 3, 4]);
    expect(new Set(mine.map((t) => t.payload.scheduledTime)).size).toBe(4);
  });

  it('after an outage runs only the latest missed time of a per-minute cron, not each one it missed', async () => {
    const jobId = `outage-${uniqueSuffix()}`;
    await specUpdated(jobId, 1, exampleSpec(jobId, { cron: '* * * * *', max_runs: 1000 }));
    await eventually('active schedule', () => scheduleRow(jobId), (r) => r?.state === 'active');
    const supersededBefore = await metricSum('fjc_scheduler_ticks_skipped_total', 'reason="superseded"');

    // What three hours without a scheduler leave behind: a next time long past.
    const now = Date.now();
    const threeHoursAgo = new Date(Math.floor((now - 3 * 3_600_000) / 60_000) * 60_000);
    await owner.query(`update scheduler_schedules set next_fire_at = $2 where job_id = $1`, [jobId, threeHoursAgo]);

    await eventually('a tick', async () => ticksOf(jobId).length, (n) => n >= 1, { timeoutMs: 20_000 });
    await sleep(2_000);
    // Only the times whose successor is not yet a minute past run: the last one or two minutes.
    const times = ticksOf(jobId).map((t) => Date.parse(t.payload.scheduledTime));
    expect(times.length).toBeLessThanOrEqual(3);
    for (const t of times) expect(t).toBeGreaterThanOrEqual(now - 121_000);
    expect(ticksOf(jobId).map((t) => t.payload.runNumber)).toEqual(times.map((_, i) => i + 1));
    // The rest were passed over, counted and not run.
    expect((await metricSum('fjc_scheduler_ticks_skipped_total', 'reason="superseded"')) - supersededBefore).toBeGreaterThanOrEqual(175);
  });

  it('gives a suspended job no ticks, resumes it without catching up, and stops at delete', async () => {
    const jobId = `suspend-${uniqueSuffix()}`;
    const cron = { cron: '* * * * * *', max_runs: 1000 };

    // Applied suspended: a schedule, but no ticks.
    await specUpdated(jobId, 1, exampleSpec(jobId, cron, 'suspended'));
    await eventually('suspended schedule', () => scheduleRow(jobId), (r) => r?.state === 'suspended');
    await sleep(2_500);
    expect(ticksOf(jobId)).toHaveLength(0);

    // Resumed: ticks flow.
    const resumed = exampleSpec(jobId, cron);
    const resumedAt = Date.now();
    await publish(JobResumeRequestedEvent.parse({ ...envelope(jobId, 2), type: 'JobResumeRequested', payload: { version: 2, specHash: specHash(resumed), spec: resumed } }));
    await eventually('ticks after resume', async () => ticksOf(jobId).length, (n) => n >= 2, { timeoutMs: 20_000 });
    // No catching up on the times the job was suspended.
    expect(Date.parse(ticksOf(jobId)[0].payload.scheduledTime)).toBeGreaterThan(resumedAt);

    // Suspended again: once the schedule says so, no more ticks.
    const suspended = exampleSpec(jobId, cron, 'suspended');
    await publish(JobSuspendRequestedEvent.parse({ ...envelope(jobId, 3), type: 'JobSuspendRequested', payload: { version: 3, specHash: specHash(suspended), spec: suspended } }));
    await eventually('suspended again', () => scheduleRow(jobId), (r) => r?.state === 'suspended');
    await sleep(1_000); // the relay may still be publishing ticks written before the suspension
    const inLog = (await logTicks(jobId)).length;
    await sleep(2_500);
    expect(await logTicks(jobId)).toHaveLength(inLog);
    await eventually('topic caught up with the log', async () => ticksOf(jobId).length, (n) => n === inLog, { timeoutMs: 10_000 });
    const runNumbers = ticksOf(jobId).map((t) => t.payload.runNumber);
    expect(runNumbers).toEqual(runNumbers.map((_, i) => i + 1));

    // Deleted: the schedule ends.
    await publish(JobDeleteRequestedEvent.parse({ ...envelope(jobId, 4), type: 'JobDeleteRequested', payload: { lastVersion: 3 } }));
    await eventually('deleted', () => scheduleRow(jobId), (r) => r?.state === 'deleted');
    expect(await logTicks(jobId)).toHaveLength(inLog);
  });
});
