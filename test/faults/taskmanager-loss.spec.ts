// A TaskManager dies (SIGKILL) under a running stream job: FJC shows RESTARTING as it is, records
// Flink's exception once, and shows RUNNING again on the same Flink job when a TaskManager is
// back. (Without a TaskManager Flink waits for slots rather than restarting again, so the restart
// budget is shown with a job that fails in a loop: test/scenarios/stability-rollback.spec.ts.)
import { uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem, type EnvelopeView } from '../support/system';
import { killTaskManager, startFlink } from './support/fault-stack';

describe('a TaskManager lost under a running job', () => {
  let fjc: FjcSystem;
  const jobId = `tm-loss-${uniqueSuffix()}`;
  const spec = () =>
    exampleSpec('stream-savepoint.yaml', jobId, (s) => {
      s.args = ['--mode', 'stream', '--rate', '20', '--keys', '4'];
      Object.assign(s.deployment as Record<string, unknown>, { checkpoint_interval: '2s', restart_strategy: 'fixed-delay', max_restart_attempts: 1000, restart_delay: '2s' });
      s.stream_config = {
        min_pause_between_checkpoints: '0ms',
        stability: { min_running_time: '5s', min_checkpoints: 1, max_restarts: 0, deadline: '2m' },
        restart_budget: { max_restarts: 1000, window: '10m', remedy: 'redeploy' },
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
    expect((await fjc.request('PUT', `/jobs/${jobId}`, spec())).status).toBe(201);
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
});
