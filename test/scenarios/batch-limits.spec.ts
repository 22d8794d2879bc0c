// Batch runs FJC ends because they go on too long: a streaming program run as a batch job past
// batch_config.ttl_seconds is stopped with a savepoint in Flink itself, and the job is recorded
// FAILED with FJC_BATCH_TTL_EXCEEDED (status, last error and the BatchRunExpired event).
import { eventually, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';

describe('batch run limits', () => {
  let fjc: FjcSystem;

  beforeAll(async () => {
    fjc = await FjcSystem.start({ schedulers: 1 });
  });
  afterAll(() => fjc?.stop());

  it('a run past its ttl_seconds is stopped with a savepoint and the job ends FAILED with FJC_BATCH_TTL_EXCEEDED', async () => {
    const jobId = `ttl-${uniqueSuffix()}`;
    const spec = exampleSpec('batch-cron.yaml', jobId, (s) => {
      // A streaming program (it never finishes on its own) run once as a batch job.
      s.args = ['--mode', 'stream', '--rate', '5'];
      s.batch_config = { ttl_seconds: 8 };
    });
    expect((await fjc.request('PUT', `/jobs/${jobId}`, spec)).status).toBe(201);
    const [flinkJobId] = await fjc.runningInFlinkSoon(jobId);
    expect(flinkJobId).toBeDefined();

    const failed = await fjc.waitForState(jobId, (j) => j.state === 'FAILED', 'FAILED past its ttl');
    expect(failed.lastError?.code).toBe('FJC_BATCH_TTL_EXCEEDED');
    // Stopped with a savepoint, not cancelled: Flink reports a stopped job FINISHED.
    const inFlink = await eventually('the Flink job ended', () => fjc.flink.job(flinkJobId), (j) => j?.state === 'FINISHED' || j?.state === 'CANCELED', { timeoutMs: 30_000, intervalMs: 1000 });
    expect(inFlink?.state).toBe('FINISHED');

    const events = await fjc.events(jobId);
    const expired = events.filter((e) => e.type === 'BatchRunExpired');
    expect(expired).toHaveLength(1);
    expect(expired[0].payload).toMatchObject({ flinkJobId, limit: 'ttl_seconds', limitSeconds: 8, error: { code: 'FJC_BATCH_TTL_EXCEEDED' } });
    const stops = events.filter((e) => e.type === 'ActionRequested' && e.payload.action?.flinkJobId === flinkJobId && e.payload.action.kind !== 'Deploy');
    expect(stops.map((e) => e.payload.action)).toEqual([expect.objectContaining({ kind: 'Stop', withSavepoint: true })]);
    expect(events.some((e) => e.type === 'SavepointRecorded' && e.payload.flinkJobId === flinkJobId)).toBe(true);
    // Nothing starts it again: one run per applied version.
    expect(await fjc.flinkJobIds(jobId)).toEqual([flinkJobId]);
  }, 180_000);
});
