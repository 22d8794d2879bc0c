// Scenarios 1, 2, 3 and 7 of the end-to-end issue, as a user drives them: a stream spec
// becomes a running Flink job, is upgraded with its state, suspended, resumed and deleted, and
// the audit trail links each request to the Flink actions it caused; then the deleted job is
// created again under its id, and every service's tables rebuilt from the log equal the live ones.
import { eventually, testJobCounters, uniqueSuffix } from '@fjc/testing';
import { Recovery } from '../support/recovery';
import { exampleSpec, FjcSystem } from '../support/system';

describe('a stream job through its whole life', () => {
  let fjc: FjcSystem;
  const jobId = `orders-${uniqueSuffix()}`;
  const spec = (parallelism: number) =>
    exampleSpec('stream-savepoint.yaml', jobId, (s) => {
      (s.deployment as Record<string, unknown>).parallelism = parallelism;
      // No periodic checkpoints while it runs: each one is a JobObserved in the log, and the
      // last test compares tables rebuilt from the log with the live ones at one moment.
      (s.deployment as Record<string, unknown>).checkpoint_interval = '1h';
      s.args = ['--mode', 'stream', '--rate', '40', '--keys', '4'];
    });
  let firstFlinkJob: string;
  let countBeforeUpgrade: number;

  beforeAll(async () => {
    fjc = await FjcSystem.start();
  });
  afterAll(() => fjc?.stop());

  it('1. runs a new stream spec in Flink within 60 s', async () => {
    const put = await fjc.request('PUT', `/jobs/${jobId}`, spec(1), { 'x-correlation-id': 'create-request-1' });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ jobId, version: 1, changed: true });
    const job = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== null, 'RUNNING', 60_000);
    firstFlinkJob = job.flinkJobId as string;
    expect(await fjc.runningInFlinkSoon(jobId)).toEqual([firstFlinkJob]);
    expect((await fjc.flink.job(firstFlinkJob))?.state).toBe('RUNNING');
    // While it runs the deployer reads its back pressure from Flink and reports it.
    const observed = await eventually(
      'back pressure reported',
      async () => (await fjc.events(jobId)).filter((e) => e.type === 'JobObserved' && e.payload.flinkJobId === firstFlinkJob && e.payload.backpressure !== undefined),
      (found) => found.length > 0,
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    expect(observed[0].payload).toMatchObject({ flinkState: 'RUNNING', backpressure: expect.stringMatching(/^(ok|low|high)$/) });
  });

  it('2. upgrades through a savepoint when parallelism changes, and the keyed counters continue', async () => {
    countBeforeUpgrade = (await eventually('counts before the upgrade', () => testJobCounters(fjc.flink, firstFlinkJob), (c) => c.total >= 40)).total;
    const put = await fjc.request('PUT', `/jobs/${jobId}`, spec(2));
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ version: 2, changed: true });
    const job = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== firstFlinkJob, 'RUNNING on a new Flink job');
    const second = job.flinkJobId as string;
    expect((await fjc.flink.job(firstFlinkJob))?.state).toBe('FINISHED'); // stopped with a savepoint, not cancelled
    const restored = await eventually('restored counters', () => testJobCounters(fjc.flink, second), (c) => c.records > 0 && c.total > c.records);
    expect(restored.total - restored.records).toBeGreaterThanOrEqual(countBeforeUpgrade);
    expect((await fjc.flink.job(second))?.vertices.every((v) => v.parallelism === 2)).toBe(true);
    expect(await fjc.runningInFlinkSoon(jobId)).toEqual([second]);
  });

  it('3. suspends with a savepoint and resumes from it', async () => {
    const before = (await fjc.job(jobId)).flinkJobId as string;
    expect((await fjc.request('POST', `/jobs/${jobId}/suspend`)).status).toBeLessThan(300);
    await fjc.waitForState(jobId, (j) => j.state === 'SUSPENDED', 'SUSPENDED');
    expect(await fjc.runningInFlink(jobId)).toEqual([]);
    const savepoints = (await fjc.events(jobId)).filter((e) => e.type === 'ActionSucceeded' && (e.payload as { savepoint?: unknown }).savepoint);
    expect(savepoints.length).toBeGreaterThanOrEqual(2); // the upgrade's and the suspend's
    const counted = (await testJobCounters(fjc.flink, before).catch(() => ({ total: 0 }))).total;

    expect((await fjc.request('POST', `/jobs/${jobId}/resume`)).status).toBeLessThan(300);
    const job = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== before, 'RUNNING again');
    // Polled: total and records are two requests, and may come from metric fetches 2 s apart.
    const restored = await eventually('counters after resume', () => testJobCounters(fjc.flink, job.flinkJobId as string), (c) => c.records > 0 && c.total - c.records >= Math.max(counted, countBeforeUpgrade));
    expect(restored.total - restored.records).toBeGreaterThanOrEqual(Math.max(counted, countBeforeUpgrade));
    expect(await fjc.runningInFlinkSoon(jobId)).toEqual([job.flinkJobId]);
  });

  it('7. deletes the job, and the audit trail links every request to the Flink actions it caused', async () => {
    const running = (await fjc.job(jobId)).flinkJobId as string;
    expect((await fjc.request('DELETE', `/jobs/${jobId}`, undefined, { 'x-correlation-id': 'delete-request-1' })).status).toBeLessThan(300);
    await eventually('the Flink job cancelled', async () => (await fjc.flink.job(running))?.state, (s) => s === 'CANCELED');
    await fjc.waitForState(jobId, (j) => j.state === 'DELETED', 'DELETED');

    const events = await fjc.events(jobId);
    // Causes come first: every event's cause is earlier in the log and did not occur later. (Across
    // writers, occurredAt is each writer's clock when it decided, so only causal order is promised.)
    const at = new Map(events.map((e, i) => [e.id, i]));
    const caused = events.filter((e) => e.causationId !== null && at.has(e.causationId));
    expect(caused.map((e) => e.type)).toEqual(expect.arrayContaining(['ActionRequested', 'ActionStarted', 'ActionSucceeded', 'LifecycleChanged']));
    for (const e of caused) {
      const cause = events[at.get(e.causationId as string) as number];
      expect({ effect: e.type, before: at.get(cause.id) as number < (at.get(e.id) as number), notLater: Date.parse(cause.occurredAt) <= Date.parse(e.occurredAt) }).toEqual({
        effect: e.type,
        before: true,
        notLater: true,
      });
    }
    const types = events.map((e) => e.type);
    for (const t of ['SpecUpdated', 'JobSuspendRequested', 'JobResumeRequested', 'JobDeleteRequested', 'ActionRequested', 'ActionStarted', 'ActionSucceeded', 'JobObserved', 'LifecycleChanged']) {
      expect(types).toContain(t);
    }
    // The create request's correlation id runs from the SpecUpdated to the Deploy the deployer carried out.
    const created = events.filter((e) => e.correlationId === 'create-request-1');
    expect(created.map((e) => e.type)).toEqual(expect.arrayContaining(['SpecUpdated', 'ActionRequested', 'ActionStarted', 'ActionSucceeded']));
    // Every one of them names the authenticated caller: the world's admin API token.
    expect(new Set(created.map((e) => JSON.stringify(e.actor))).size).toBe(1);
    expect(created[0].actor).toMatchObject({ kind: 'service', subject: expect.stringMatching(/^token:bootstrap-admin-/), tokenId: expect.any(String) });
    const deploy = created.find((e) => e.type === 'ActionRequested');
    const spec = created.find((e) => e.type === 'SpecUpdated');
    expect(deploy?.causationId).toBe(spec?.id);
    // The delete request's correlation id reaches the Cancel.
    const deleted = events.filter((e) => e.correlationId === 'delete-request-1');
    expect(deleted.some((e) => e.type === 'ActionRequested' && e.payload.action?.kind === 'Cancel')).toBe(true);
  });

  it('7b. creates the deleted job again when a spec is applied to it: the next version, started fresh', async () => {
    const last = (await fjc.job(jobId)).version;
    const put = await fjc.request('PUT', `/jobs/${jobId}`, spec(1));
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ jobId, version: last + 1, changed: true });
    const job = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.version === last + 1 && j.flinkJobId !== null, 'RUNNING again', 90_000);
    expect(await fjc.runningInFlinkSoon(jobId)).toEqual([job.flinkJobId]);
    // Fresh: the Deploy restores nothing, and the keyed counters start again from zero.
    const deploy = (await fjc.events(jobId)).filter((e) => e.type === 'ActionRequested' && e.payload.action?.kind === 'Deploy').at(-1);
    expect(deploy?.payload.action).toMatchObject({ flinkJobId: job.flinkJobId });
    expect(deploy?.payload.action).not.toHaveProperty('restoreFrom');
    // Polled: total and records are two requests, and may come from metric fetches 2 s apart.
    const counters = await eventually('counters of the new job', () => testJobCounters(fjc.flink, job.flinkJobId as string), (c) => c.records > 0 && c.total - c.records < countBeforeUpgrade);
    expect(counters.total - counters.records).toBeLessThan(countBeforeUpgrade);
  });

  it('keeps nothing the log cannot rebuild: each service\'s tables rebuilt from it equal the live ones', async () => {
    const recovery = await Recovery.open(fjc);
    try {
      await recovery.expectRebuildsIdentical();
    } finally {
      await recovery.close();
    }
  });
});
