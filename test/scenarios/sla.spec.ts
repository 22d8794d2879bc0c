// Service levels on the real stack: a batch run still going when its batch_config.sla.within is
// due is recorded once as SlaMissed (job, run, target, actual), counted in fjc_sla_missed_total
// (the metric FjcSlaMissed alerts on; infra/observability/rules/fjc-alerts.test.yml evaluates
// the rule with promtool), and `fjc sla report` shows it as missed next to a run that met its
// level. A stream job's availability level (stream_config.sla): a window it stayed RUNNING
// through records nothing; a window in which its Flink job was cancelled from outside falls below
// the share and is recorded as SlaMissed (objective availability), counted and reported missed.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { eventually, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'tools', 'cli', 'bin', 'fjc.js');

describe('service levels (real stack)', () => {
  let fjc: FjcSystem;
  const suffix = uniqueSuffix();
  const slow = `sla-slow-${suffix}`;
  const quick = `sla-quick-${suffix}`;

  beforeAll(async () => {
    fjc = await FjcSystem.start();
  });
  afterAll(async () => {
    await fjc?.stop();
  });

  it('records a late run once as SlaMissed, counts it, and reports met and missed per job', async () => {
    const from = new Date(Date.now() - 1_000).toISOString();
    // About 15 s of work against a 3 s level: still RUNNING when it falls due.
    const slowSpec = exampleSpec('batch-once.yaml', slow, (s) => Object.assign(s, { args: ['--mode', 'batch', '--records', '30', '--rate', '2', '--name', slow], batch_config: { ...(s.batch_config as object), sla: { within: '3s' } } }));
    const quickSpec = exampleSpec('batch-once.yaml', quick, (s) => Object.assign(s, { batch_config: { ...(s.batch_config as object), sla: { within: '10m' } } }));
    expect((await fjc.request('PUT', `/jobs/${slow}`, slowSpec)).status).toBe(201);
    expect((await fjc.request('PUT', `/jobs/${quick}`, quickSpec)).status).toBe(201);

    const missed = await eventually('SlaMissed of the slow run', async () => (await fjc.events(slow)).filter((e) => e.type === 'SlaMissed'), (m) => m.length > 0, { timeoutMs: 90_000, intervalMs: 1_000 });
    const deploy = (await fjc.events(slow)).find((e) => e.type === 'ActionRequested' && e.payload.action?.kind === 'Deploy');
    expect(missed[0].payload).toMatchObject({
      objective: 'within',
      version: 1,
      run: { runNumber: 0, flinkJobId: deploy?.payload.action?.flinkJobId },
      window: null,
      target: expect.stringMatching(/^finished within 3 s of /),
      actual: expect.stringMatching(/^still (RUNNING|SUBMITTED|CREATED|INITIALIZING) at /),
    });
    expect(missed[0].actor).toMatchObject({ kind: 'service', id: 'reconciler' });

    await fjc.waitForState(slow, (j) => j.state === 'FINISHED', 'FINISHED', 90_000);
    await fjc.waitForState(quick, (j) => j.state === 'FINISHED', 'FINISHED', 90_000);
    // Exactly once: resyncs and the finish looked at the run again without a second record.
    expect((await fjc.events(slow)).filter((e) => e.type === 'SlaMissed')).toHaveLength(1);
    expect((await fjc.events(quick)).filter((e) => e.type === 'SlaMissed')).toHaveLength(0);

    const metrics = await (await fetch(`${fjc.service('reconciler').url}/metrics`)).text();
    expect(metrics).toMatch(/^fjc_sla_missed_total\{namespace="default",objective="within",service="reconciler"\} 1$/m);

    const report = spawnSync(process.execPath, [BIN, 'sla', 'report', '--from', from, '--to', new Date(Date.now() + 60_000).toISOString(), '-o', 'json'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, FJC_API_URL: fjc.service('spec-service').url, FJC_TOKEN: fjc.world.adminToken },
    });
    expect(report.stderr).toBe('');
    const jobs = (JSON.parse(report.stdout) as { jobs: Array<{ jobId: string; judged: number; met: number; missed: number }> }).jobs;
    expect(jobs.find((j) => j.jobId === slow)).toMatchObject({ judged: 1, met: 0, missed: 1 });
    expect(jobs.find((j) => j.jobId === quick)).toMatchObject({ judged: 1, met: 1, missed: 0 });
  });

  it('a stream job cancelled in Flink from outside falls below its availability: SlaMissed, fjc_sla_missed_total and missed in the report', async () => {
    const jobId = `sla-stream-${suffix}`;
    const WINDOW_MS = 10_000;
    const spec = exampleSpec('stream-stateless.yaml', jobId, (s) => Object.assign(s, { args: ['--mode', 'stream', '--rate', '5', '--name', jobId] }));
    expect((await fjc.request('PUT', `/jobs/${jobId}`, spec)).status).toBe(201);
    try {
      const [flinkJobId] = await fjc.runningInFlinkSoon(jobId);
      await fjc.waitForState(jobId, (j) => j.state === 'RUNNING', 'RUNNING', 60_000);
      // The level is set once the job runs (a metadata-only change): measuring starts RUNNING.
      const from = new Date().toISOString();
      const withSla = { ...spec, stream_config: { sla: { availability: 99, window: '10s' } } };
      expect((await fjc.request('PUT', `/jobs/${jobId}`, withSla)).status).toBe(200);
      await fjc.waitForState(jobId, (j) => j.version === 2 && j.state === 'RUNNING', 'version 2 RUNNING');
      expect(await fjc.runningInFlink(jobId)).toEqual([flinkJobId]);

      // The window it stayed RUNNING through closes met: nothing recorded.
      const firstEnd = Math.ceil(Date.parse(from) / WINDOW_MS) * WINDOW_MS;
      await new Promise((r) => setTimeout(r, firstEnd + 2_000 - Date.now()));
      expect((await fjc.events(jobId)).filter((e) => e.type === 'SlaMissed')).toEqual([]);

      // Cancelled from outside: the window this happens in ends below 99 % RUNNING.
      const cancelledAt = Date.now();
      expect(await fjc.flink.cancel(flinkJobId)).toBe(true);
      const missed = await eventually('SlaMissed of the window with the outage', async () => (await fjc.events(jobId)).filter((e) => e.type === 'SlaMissed'), (m) => m.length > 0, { timeoutMs: 40_000, intervalMs: 1_000 });
      const windowStart = Math.floor(cancelledAt / WINDOW_MS) * WINDOW_MS;
      expect(missed[0].payload).toMatchObject({
        objective: 'availability',
        version: 2,
        run: null,
        window: { start: new Date(windowStart).toISOString(), end: new Date(windowStart + WINDOW_MS).toISOString() },
        target: '99% RUNNING',
        actual: expect.stringMatching(/^\d+\.\d\d% RUNNING$/),
      });
      expect(Number.parseFloat(String(missed[0].payload.actual))).toBeLessThan(99);
      expect(missed[0].actor).toMatchObject({ kind: 'service', id: 'reconciler' });

      const metrics = await (await fetch(`${fjc.service('reconciler').url}/metrics`)).text();
      expect(metrics).toMatch(/^fjc_sla_missed_total\{namespace="default",objective="availability",service="reconciler"\} [1-9]\d*$/m);

      const report = spawnSync(process.execPath, [BIN, 'sla', 'report', '--from', from, '--to', new Date(Date.now() + 60_000).toISOString(), '-o', 'json'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, FJC_API_URL: fjc.service('spec-service').url, FJC_TOKEN: fjc.world.adminToken },
      });
      expect(report.stderr).toBe('');
      const row = (JSON.parse(report.stdout) as { jobs: Array<{ jobId: string; jobType: string; judged: number; met: number; missed: number }> }).jobs.find((j) => j.jobId === jobId);
      expect(row).toMatchObject({ jobType: 'stream', missed: expect.any(Number) });
      expect(row?.missed).toBeGreaterThanOrEqual(1);
      expect(row?.judged).toBeGreaterThanOrEqual(row?.missed ?? 0);
    } finally {
      // Free the test Flink's slot.
      await fjc.request('DELETE', `/jobs/${jobId}`).catch(() => undefined);
      await fjc.waitForState(jobId, (j) => j.state === 'DELETED', 'DELETED').catch(() => undefined);
    }
  });
});
