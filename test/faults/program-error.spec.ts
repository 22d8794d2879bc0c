// A stream spec whose entry_class names no class of its jar: Flink refuses the run with its own
// message, and FJC says so at once (FJC_FLINK_PROGRAM_INVALID, the class named; how fast:
// test/bench/recovery.bench.ts), tries once,
// and leaves the job FAILED: no retry, no redeploy on resync, until the spec changes.
import { eventually, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem, type EnvelopeView } from '../support/system';

const RESYNC_MS = 5_000; // FjcSystem's FJC_RESYNC_INTERVAL_MS

describe('a mistyped entry class', () => {
  let fjc: FjcSystem;
  const jobId = `bad-class-${uniqueSuffix()}`;
  const spec = exampleSpec('stream-stateless.yaml', jobId, (s) => {
    s.entry_class = 'com.example.DoesNotExist';
  });

  beforeAll(async () => {
    fjc = await FjcSystem.start();
  });
  afterAll(() => fjc?.stop());

  const ofKind = (events: EnvelopeView[], type: string) => events.filter((e) => e.type === type);

  it('fails the job at once with Flink own message, tries once, and is not redeployed by resyncs', async () => {
    expect((await fjc.request('PUT', `/jobs/${jobId}`, spec)).status).toBe(201);

    // "At once" is the single attempt below, not a time: this machine may be slow.
    const failed = await fjc.waitForState(jobId, (j) => j.state === 'FAILED', 'FAILED', 120_000);
    expect(failed.lastError?.code).toBe('FJC_FLINK_PROGRAM_INVALID');
    expect(failed.lastError?.message).toContain("entry point class 'com.example.DoesNotExist' was not found");

    const events = await fjc.events(jobId);
    expect(ofKind(events, 'ActionRequested')).toHaveLength(1);
    expect(ofKind(events, 'ActionStarted')).toHaveLength(1);
    const [actionFailed] = ofKind(events, 'ActionFailed');
    expect(actionFailed?.payload.error).toMatchObject({ code: 'FJC_FLINK_PROGRAM_INVALID', retryable: false });

    // Two resync intervals later: still FAILED, still one request and one attempt.
    const eventsBefore = events.length;
    await new Promise((r) => setTimeout(r, 2 * RESYNC_MS + 1_000));
    const later = await fjc.events(jobId);
    expect((await fjc.job(jobId)).state).toBe('FAILED');
    expect(ofKind(later, 'ActionRequested')).toHaveLength(1);
    expect(ofKind(later, 'ActionStarted')).toHaveLength(1);
    expect(later.slice(eventsBefore).map((e) => e.type).filter((t) => t.startsWith('Action'))).toEqual([]);

    // A corrected spec (a new version) deploys again.
    const fixed = exampleSpec('stream-stateless.yaml', jobId);
    expect((await fjc.request('PUT', `/jobs/${jobId}`, fixed)).status).toBe(200);
    const running = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.version === 2, 'RUNNING version 2', 90_000);
    expect(running.lastError).toBeNull();
    await eventually('the fixed version runs in Flink', () => fjc.runningInFlink(jobId), (ids) => ids.length === 1, { timeoutMs: 60_000, intervalMs: 1_000 });
  }, 240_000);
});
