// Batch runs FJC ends because they go on too long: a run past batch_config.ttl_seconds is
// stopped (with a savepoint where Flink can take one, else cancelled) in Flink itself, and the
// job is recorded FAILED with FJC_BATCH_TTL_EXCEEDED (status, last error, BatchRunExpired). A run
// Flink has not reported ended within completion_timeout_seconds is cancelled at once.
import { eventually, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';

describe('batch run limits', () => {
  let fjc: FjcSystem;

  beforeAll(async () => {
    fjc = await FjcSystem.start({ schedulers: 1, ...(process.env.FJC_SCENARIO_LOG_DIR ? { logDir: process.env.FJC_SCENARIO_LOG_DIR } : {}) });
  });
  afterAll(() => fjc?.stop());

  it('a run past its ttl_seconds is stopped (Flink refuses a savepoint in BATCH mode, so it is cancelled) and the job ends FAILED with FJC_BATCH_TTL_EXCEEDED', async () => {
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
    // FJC runs a batch job's program in Flink's BATCH runtime mode, which takes no savepoints:
    // Flink refuses the graceful stop, and FJC cancels the run instead.
    const inFlink = await eventually('the Flink job ended', () => fjc.flink.job(flinkJobId), (j) => j?.state === 'FINISHED' || j?.state === 'CANCELED', { timeoutMs: 30_000, intervalMs: 1000 });
    expect(inFlink?.state).toBe('CANCELED');

    const events = await fjc.events(jobId);
    const expired = events.filter((e) => e.type === 'BatchRunExpired');
    expect(expired).toHaveLength(1);
    expect(expired[0].payload).toMatchObject({ flinkJobId, limit: 'ttl_seconds', limitSeconds: 8, error: { code: 'FJC_BATCH_TTL_EXCEEDED' } });
    const actions = events.filter((e) => e.type === 'ActionRequested' && e.payload.action?.flinkJobId === flinkJobId && e.payload.action.kind !== 'Deploy');
    expect(actions.map((e) => e.payload.action)).toEqual([expect.objectContaining({ kind: 'Stop', withSavepoint: true }), expect.objectContaining({ kind: 'Cancel' })]);
    expect(events.filter((e) => e.type === 'ActionFailed').map((e) => e.payload.kind)).toEqual(['Stop']);
    // Nothing starts it again: one run per applied version.
    expect(await fjc.flinkJobIds(jobId)).toEqual([flinkJobId]);
  }, 180_000);

  it('a run Flink has not reported ended within completion_timeout_seconds is cancelled at once and the job ends FAILED with FJC_BATCH_COMPLETION_TIMEOUT', async () => {
    const jobId = `hung-${uniqueSuffix()}`;
    const spec = exampleSpec('batch-cron.yaml', jobId, (s) => {
      // A bounded run far too long to end in time (5 records a second of 100 million).
      s.args = ['--mode', 'batch', '--records', '100000000', '--rate', '5'];
      s.batch_config = { completion_timeout_seconds: 6, ttl_seconds: 3600 };
    });
    expect((await fjc.request('PUT', `/jobs/${jobId}`, spec)).status).toBe(201);
    const [flinkJobId] = await fjc.runningInFlinkSoon(jobId);
    expect(flinkJobId).toBeDefined();

    const failed = await fjc.waitForState(jobId, (j) => j.state === 'FAILED', 'FAILED past its completion timeout');
    expect(failed.lastError?.code).toBe('FJC_BATCH_COMPLETION_TIMEOUT');
    const inFlink = await eventually('the Flink job ended', () => fjc.flink.job(flinkJobId), (j) => j?.state === 'CANCELED' || j?.state === 'FINISHED', { timeoutMs: 30_000, intervalMs: 1000 });
    expect(inFlink?.state).toBe('CANCELED');

    const events = await fjc.events(jobId);
    expect(events.filter((e) => e.type === 'BatchRunExpired').map((e) => e.payload)).toEqual([
      expect.objectContaining({ flinkJobId, limit: 'completion_timeout_seconds', limitSeconds: 6, error: expect.objectContaining({ code: 'FJC_BATCH_COMPLETION_TIMEOUT' }) }),
    ]);
    // Cancelled at once: no stop with a savepoint was tried.
    const actions = events.filter((e) => e.type === 'ActionRequested' && e.payload.action?.flinkJobId === flinkJobId && e.payload.action.kind !== 'Deploy');
    expect(actions.map((e) => e.payload.action?.kind)).toEqual(['Cancel']);
    expect(await fjc.flinkJobIds(jobId)).toEqual([flinkJobId]);
  }, 180_000);
});
