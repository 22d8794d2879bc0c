// Scenario 6: a batch job on a per-minute cron runs to FINISHED at each tick; two scheduler
// instances never double a run; max_runs stops it. Then the schedules, job states and read
// models rebuilt from the log equal the ones the services kept.
import { eventually, uniqueSuffix } from '@fjc/testing';
import { Recovery } from '../support/recovery';
import { exampleSpec, FjcSystem } from '../support/system';

describe('a cron batch job with two schedulers', () => {
  let fjc: FjcSystem;
  const jobId = `nightly-${uniqueSuffix()}`;

  beforeAll(async () => {
    fjc = await FjcSystem.start({ schedulers: 2 });
  });
  afterAll(() => fjc?.stop());

  it('6. runs once per tick to FINISHED, never twice for one tick, and stops at max_runs', async () => {
    const spec = exampleSpec('batch-cron.yaml', jobId, (s) => {
      s.args = ['--mode', 'batch', '--records', '200'];
      // allow: this scenario runs beside the others, so a run may wait a little for a free slot.
      s.batch_config = { cron: '* * * * *', timezone: 'Europe/Berlin', max_runs: 2, concurrency_policy: 'allow' };
    });
    expect((await fjc.request('PUT', `/jobs/${jobId}`, spec)).status).toBe(201);

    const finishedRuns = async () => {
      const ids = await fjc.flinkJobIds(jobId);
      const states = await Promise.all(ids.map(async (id) => (await fjc.flink.job(id))?.state));
      return { ids, finished: states.filter((s) => s === 'FINISHED').length };
    };
    const done = await eventually('two finished runs', finishedRuns, (r) => r.finished >= 2, { timeoutMs: 330_000, intervalMs: 2000 });
    expect(done.ids).toHaveLength(2);
    await fjc.waitForState(jobId, (j) => j.state === 'FINISHED', 'FINISHED after max_runs');

    const ticks = (await fjc.events(jobId)).filter((e) => e.type === 'ScheduleTick');
    expect(ticks.map((t) => t.payload.runNumber)).toEqual([1, 2]);
    expect(new Set(ticks.map((t) => t.payload.scheduledTime)).size).toBe(2);

    // Past the next minute boundary (when a third tick would be due) nothing more has run.
    const now = Date.now();
    await new Promise((r) => setTimeout(r, 60_000 - (now % 60_000) + 5_000));
    expect((await fjc.flinkJobIds(jobId)).length).toBe(2);
    expect((await fjc.events(jobId)).filter((e) => e.type === 'ScheduleTick')).toHaveLength(2);

    const recovery = await Recovery.open(fjc);
    try {
      await recovery.expectRebuildsIdentical();
    } finally {
      await recovery.close();
    }
    // Up to two minutes to the second tick, plus the runs (which may wait for a Flink slot the
    // scenarios running beside this one hold), plus the minute of watching for a third, plus the rebuild.
  }, 720_000);
});
