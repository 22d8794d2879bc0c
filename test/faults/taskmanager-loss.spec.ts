// A TaskManager dies (SIGKILL) under a running stream job: FJC shows RESTARTING as it is, records
// Flink's exception once, and shows RUNNING again when a TaskManager is back. With a restart
// budget the outage exceeds, the job is marked unhealthy (JobUnhealthy) and redeployed from its
// newest retained checkpoint, and its keyed counters continue.
import { eventually, testJobCounters, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem, type EnvelopeView } from '../support/system';
import { killTaskManager, startFlink } from './support/fault-stack';

describe('a TaskManager lost under a running job', () => {
  let fjc: FjcSystem;
  const jobId = `tm-loss-${uniqueSuffix()}`;
  const spec = (budget: number) =>
    exampleSpec('stream-savepoint.yaml', jobId, (s) => {
      s.args = ['--mode', 'stream', '--rate', '20', '--keys', '4'];
      Object.assign(s.deployment as Record<string, unknown>, { checkpoint_interval: '2s', restart_strategy: 'fixed-delay', max_restart_attempts: 1000, restart_delay: '2s' });
      s.stream_config = {
        min_pause_between_checkpoints: '0ms',
        stability: { min_running_time: '5s', min_checkpoints: 1, max_restarts: 0, deadline: '2m' },
        restart_budget: { max_restarts: budget, window: '10m', remedy: 'redeploy' },
      };
    });
  const ofType = (events: EnvelopeView[], type: string) => events.filter((e) => e.type === type);

  beforeAll(async () => {
    fjc = await FjcSystem.start();
  });
  afterAll(async () => {
    await startFlink();
    await fjc?.stop();
  });

  it('shows RESTARTING, records the exception once, and RUNNING again on the same Flink job', async () => {
    expect((await fjc.request('PUT', `/jobs/${jobId}`, spec(1000))).status).toBe(201);
    const stable = await fjc.waitForState(jobId, (j) => j.lastStableVersion === 1 && j.state === 'RUNNING', 'stable', 120_000);
    await killTaskManager();
    await fjc.waitForState(jobId, (j) => j.state === 'RESTARTING', 'RESTARTING', 60_000);
    await startFlink();
    const back = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING', 'RUNNING again', 120_000);
    expect(back.flinkJobId).toBe(stable.flinkJobId);
    const events = await fjc.events(jobId);
    const exceptions = ofType(events, 'JobExceptionObserved');
    expect(exceptions.length).toBeGreaterThanOrEqual(1);
    expect(new Set(exceptions.map((e) => e.payload.exceptionId)).size).toBe(exceptions.length);
    expect(exceptions[0].payload).toMatchObject({ flinkJobId: stable.flinkJobId, rootCause: { name: expect.any(String) } });
    const states = ofType(events, 'LifecycleChanged').map((e) => e.payload.to);
    expect(states).toEqual(expect.arrayContaining(['RESTARTING', 'RUNNING']));
    expect(ofType(events, 'JobUnhealthy')).toEqual([]);
  }, 360_000);

  it('beyond the restart budget: JobUnhealthy, then a fresh job from the newest checkpoint, counters continuing', async () => {
    // A metadata-only change: the budget drops to 2 restarts; the running job is kept.
    expect((await fjc.request('PUT', `/jobs/${jobId}`, spec(2))).status).toBe(200);
    const before = await fjc.waitForState(jobId, (j) => j.version === 2 && j.state === 'RUNNING', 'version 2 adopted', 60_000);
    const counted = (await eventually('counted', () => testJobCounters(fjc.flink, before.flinkJobId as string), (c) => c.total > 0)).total;
    await killTaskManager();
    const unhealthy = await eventually('JobUnhealthy', async () => ofType(await fjc.events(jobId), 'JobUnhealthy'), (found) => found.length > 0, { timeoutMs: 120_000, intervalMs: 1_000 });
    expect(unhealthy[0].payload).toMatchObject({ flinkJobId: before.flinkJobId, remedy: 'redeploy', windowMs: 600_000 });
    expect(unhealthy[0].payload.restarts as number).toBeGreaterThan(2);
    await startFlink();
    const after = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== before.flinkJobId, 'RUNNING on a fresh Flink job', 180_000);
    const deploy = ofType(await fjc.events(jobId), 'ActionRequested').find((e) => e.payload.action?.kind === 'Deploy' && e.payload.action.flinkJobId === after.flinkJobId);
    expect((deploy?.payload.action as { restoreFrom?: { kind: string } } | undefined)?.restoreFrom?.kind).toMatch(/^(checkpoint|savepoint)$/);
    // Restored from a checkpoint: counting goes on from there, not from zero.
    const restored = await eventually('restored counters', () => testJobCounters(fjc.flink, after.flinkJobId as string), (c) => c.records > 0 && c.total > c.records && c.total >= counted);
    expect(restored.total - restored.records).toBeGreaterThan(0);
    expect(await fjc.runningInFlinkSoon(jobId)).toEqual([after.flinkJobId]);
  }, 480_000);
});
