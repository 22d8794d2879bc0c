// Scenario 8: the deployer is killed with SIGKILL in the middle of an upgrade. After it comes
// back the upgrade completes, with exactly one job RUNNING and no second submission.
import { eventually, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';

describe('a deployer crash during an upgrade', () => {
  let fjc: FjcSystem;
  const jobId = `crash-${uniqueSuffix()}`;
  const spec = (rate: number) =>
    exampleSpec('stream-savepoint.yaml', jobId, (s) => {
      s.args = ['--mode', 'stream', '--rate', String(rate)];
    });

  beforeAll(async () => {
    fjc = await FjcSystem.start();
  });
  afterAll(() => fjc?.stop());

  it('8. completes the upgrade after a restart, with one job running and no duplicate submission', async () => {
    expect((await fjc.request('PUT', `/jobs/${jobId}`, spec(20))).status).toBe(201);
    const v1 = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING', 'RUNNING', 90_000);

    expect((await fjc.request('PUT', `/jobs/${jobId}`, spec(30))).status).toBe(200);
    await eventually('the upgrade started in the deployer', async () => (await fjc.events(jobId)).some((e) => e.type === 'ActionStarted' && e.payload.kind === 'Upgrade'), Boolean, { timeoutMs: 30_000, intervalMs: 100 });
    fjc.service('deployer').kill9();
    await new Promise((r) => setTimeout(r, 1000));
    await fjc.service('deployer').start();

    const v2 = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.version === 2 && j.flinkJobId !== v1.flinkJobId && j.lastStableVersion === 2, 'RUNNING version 2', 120_000);
    expect(await fjc.runningInFlinkSoon(jobId)).toEqual([v2.flinkJobId]);
    // Exactly two Flink jobs ever existed for this FJC job: the original and its one replacement.
    const ours = new Set(await fjc.flinkJobIds(jobId));
    const inFlink = (await fjc.flink.listJobs()).filter((j) => ours.has(j.jid));
    expect(inFlink.map((j) => j.jid).sort()).toEqual([v1.flinkJobId, v2.flinkJobId].sort());
    const started = (await fjc.events(jobId)).filter((e) => e.type === 'ActionStarted' && e.payload.kind === 'Upgrade');
    expect(started.length).toBeGreaterThanOrEqual(2); // the attempt before the crash and the one that resolved it
    // Its waits alone (90 s + 30 s + a restart + 120 s) pass the config's 180 s.
  }, 360_000);
});
