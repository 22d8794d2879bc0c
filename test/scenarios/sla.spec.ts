// Service levels on the real stack: a batch run still going when its batch_config.sla.within is
// due is recorded once as SlaMissed (job, run, target, actual), counted in fjc_sla_missed_total
// (the metric FjcSlaMissed alerts on; infra/observability/rules/fjc-alerts.test.yml evaluates
// the rule with promtool), and `fjc sla report` shows it as missed next to a run that met its
// level.
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
});
