// Upgrades that prove themselves, on the real Flink: a new version is a candidate until it
// passes its stability gates (RUNNING long enough, checkpoints completed, few restarts); one
// that fails them is rolled back to the last stable version from the savepoint that version
// left, so the state matches the code; an operator's rollback to version N restores N's own
// savepoint; last-state and stateless upgrades carry state as asked; periodic savepoints are
// disposed of by retention.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, testJobCounters, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem, type EnvelopeView, type JobView } from '../support/system';

type Payload = Record<string, unknown>;

/** Gates short enough for a test: stable after 12 s RUNNING and one checkpoint. */
function streamSpec(jobId: string, args: string[], changes: (s: Record<string, unknown>) => void = () => undefined): Record<string, unknown> {
  return exampleSpec('stream-savepoint.yaml', jobId, (s) => {
    s.args = ['--mode', 'stream', '--rate', '20', '--keys', '4', ...args];
    const deployment = s.deployment as Payload;
    deployment.checkpoint_interval = '2s';
    deployment.restart_strategy = 'fixed-delay';
    deployment.max_restart_attempts = 20;
    deployment.restart_delay = '1s';
    s.stream_config = {
      checkpoint_timeout: '20s',
      min_pause_between_checkpoints: '0ms',
      max_concurrent_checkpoints: 1,
      stability: { min_running_time: '12s', min_checkpoints: 1, max_restarts: 0, deadline: '60s' },
    };
    changes(s);
  });
}

const ofType = (events: EnvelopeView[], type: string) => events.filter((e) => e.type === type);
const payload = (e: EnvelopeView | undefined) => (e?.payload ?? {}) as Payload;

describe('stability gates and rollback', () => {
  let fjc: FjcSystem;

  const created: string[] = [];
  const newJob = (prefix: string) => {
    const jobId = `${prefix}-${uniqueSuffix()}`;
    created.push(jobId);
    return jobId;
  };

  beforeAll(async () => {
    fjc = await FjcSystem.start();
  });
  afterAll(() => fjc?.stop());
  // Each test's jobs are deleted (passed or not), so the next one has the cluster's slots.
  afterEach(async () => {
    for (const jobId of created.splice(0)) {
      await fjc.request('DELETE', `/jobs/${jobId}`);
      await eventually(`${jobId} gone from Flink`, () => fjc.runningInFlink(jobId), (running) => running.length === 0, { timeoutMs: 60_000, intervalMs: 1_000 }).catch(() => undefined);
    }
  }, 120_000);

  async function stableV1(jobId: string, spec: Record<string, unknown>, minRunningMs = 12_000): Promise<JobView> {
    expect((await fjc.request('PUT', `/jobs/${jobId}`, spec)).status).toBe(201);
    const v1 = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.lastStableVersion === 1, 'version 1 stable', 120_000);
    const confirmed = ofType(await fjc.events(jobId), 'StabilityConfirmed');
    expect(payload(confirmed[0])).toMatchObject({ version: 1, flinkJobId: v1.flinkJobId, evidence: { flinkState: 'RUNNING', restarts: 0 } });
    expect((payload(confirmed[0]).evidence as Payload).checkpointsCompleted).toBeGreaterThanOrEqual(1);
    expect((payload(confirmed[0]).evidence as Payload).runningForMs).toBeGreaterThanOrEqual(minRunningMs);
    return v1;
  }

  it('v2 that fails after 20 s is rolled back to v1 from the savepoint v1 left; v1\'s counters continue; one job runs', async () => {
    const jobId = newJob('gate-fail');
    const v1 = await stableV1(jobId, streamSpec(jobId, []));
    const v1Job = v1.flinkJobId as string;
    const beforeUpgrade = (await eventually('v1 counted', () => testJobCounters(fjc.flink, v1Job), (c) => c.total >= 40)).total;

    // v2 runs normally for 20 s, then fails on every attempt: a restart loop. Its gates ask for
    // 30 s of running, as the defaults do.
    const v2 = streamSpec(jobId, ['--fail-after-ms', '20000'], (s) => {
      (s.stream_config as Payload).stability = { min_running_time: '30s', min_checkpoints: 1, max_restarts: 0, deadline: '90s' };
    });
    expect((await fjc.request('PUT', `/jobs/${jobId}`, v2)).status).toBe(200);
    const rolledBack = await fjc.waitForState(jobId, (j) => j.state === 'ROLLED_BACK', 'ROLLED_BACK', 180_000);
    expect(rolledBack).toMatchObject({ version: 2, deployedVersion: 1, lastStableVersion: 1, alert: true, failedVersion: 2, candidate: false });
    expect(rolledBack.lastError?.code).toBe('FJC_STABILITY_TOO_MANY_RESTARTS');

    const events = await fjc.events(jobId);
    const upgradeSavepoint = ofType(events, 'SavepointRecorded').map(payload).find((p) => p.origin === 'upgrade');
    expect(upgradeSavepoint).toMatchObject({ version: 1, flinkJobId: v1Job });
    const failed = payload(ofType(events, 'StabilityFailed')[0]);
    expect(failed).toMatchObject({ version: 2, rollback: true, error: { code: 'FJC_STABILITY_TOO_MANY_RESTARTS' } });
    expect((failed.evidence as Payload).restarts).toBeGreaterThanOrEqual(1);
    expect(payload(ofType(events, 'RollbackStarted')[0])).toMatchObject({ fromVersion: 2, toVersion: 1, trigger: 'automatic', restoreFrom: { kind: 'savepoint', path: upgradeSavepoint?.path } });
    const completed = payload(ofType(events, 'RollbackCompleted')[0]);
    expect(completed).toMatchObject({ fromVersion: 2, toVersion: 1, flinkJobId: rolledBack.flinkJobId });
    // The story in order: stable v1, the upgrade's savepoint, v2 failing, the rollback.
    const order = events.map((e) => e.type).filter((t) => ['StabilityConfirmed', 'StabilityFailed', 'RollbackStarted', 'RollbackCompleted'].includes(t));
    expect(order).toEqual(['StabilityConfirmed', 'StabilityFailed', 'RollbackStarted', 'RollbackCompleted']);

    // The rolled-back job is v1's code from v1's state: its counts start where v1 stopped.
    const restored = await eventually('restored counters', () => testJobCounters(fjc.flink, rolledBack.flinkJobId as string), (c) => c.records > 0 && c.total > c.records);
    expect(restored.total - restored.records).toBeGreaterThanOrEqual(beforeUpgrade);
    expect(await fjc.runningInFlinkSoon(jobId)).toEqual([rolledBack.flinkJobId]);
    // v2 is not tried again: no deploy of version 2 after the rollback.
    await new Promise((r) => setTimeout(r, 15_000));
    const after = await fjc.events(jobId);
    const rollbackAt = after.findIndex((e) => e.type === 'RollbackCompleted');
    expect(after.slice(rollbackAt).filter((e) => e.type === 'ActionRequested' && (payload(e).action as Payload).specVersion === 2)).toEqual([]);
    expect((await fjc.job(jobId)).state).toBe('ROLLED_BACK');
  }, 420_000);

  it('v2 that never completes a checkpoint times out at its gate and is rolled back', async () => {
    const jobId = newJob('gate-stall');
    await stableV1(jobId, streamSpec(jobId, []));
    const stalled = streamSpec(jobId, ['--stall-checkpoints'], (s) => {
      (s.stream_config as Payload).stability = { min_running_time: '5s', min_checkpoints: 1, max_restarts: 0, deadline: '40s' };
    });
    expect((await fjc.request('PUT', `/jobs/${jobId}`, stalled)).status).toBe(200);
    const rolledBack = await fjc.waitForState(jobId, (j) => j.state === 'ROLLED_BACK', 'ROLLED_BACK after the gate deadline', 180_000);
    expect(rolledBack.lastError?.code).toBe('FJC_STABILITY_GATE_TIMEOUT');
    expect(rolledBack).toMatchObject({ failedVersion: 2, candidate: false });
    const failed = payload(ofType(await fjc.events(jobId), 'StabilityFailed')[0]);
    expect(failed).toMatchObject({ version: 2, rollback: true, evidence: { checkpointsCompleted: 0, flinkState: 'RUNNING' } });
    expect(await fjc.runningInFlinkSoon(jobId)).toEqual([rolledBack.flinkJobId]);
  }, 420_000);

  it('after v1, v2 and v3, a rollback to 1 runs v1\'s spec from v1\'s savepoint, not v3\'s', async () => {
    const jobId = newJob('rollback-to');
    const v1 = await stableV1(jobId, streamSpec(jobId, ['--name', 'v1']));
    const v1Count = (await eventually('v1 counted', () => testJobCounters(fjc.flink, v1.flinkJobId as string), (c) => c.total >= 20)).total;
    expect((await fjc.request('PUT', `/jobs/${jobId}`, streamSpec(jobId, ['--name', 'v2']))).status).toBe(200);
    const v2 = await fjc.waitForState(jobId, (j) => j.lastStableVersion === 2, 'version 2 stable', 120_000);
    expect((await fjc.request('PUT', `/jobs/${jobId}`, streamSpec(jobId, ['--name', 'v3']))).status).toBe(200);
    const v3 = await fjc.waitForState(jobId, (j) => j.lastStableVersion === 3, 'version 3 stable', 120_000);
    const v3Count = (await eventually('v3 counted further', () => testJobCounters(fjc.flink, v3.flinkJobId as string), (c) => c.total > v1Count + 100)).total;

    const res = await fjc.request('POST', `/jobs/${jobId}/rollback`, { toVersion: 1 });
    expect(res.status).toBeLessThan(300);
    const back = await fjc.waitForState(jobId, (j) => j.version === 4 && j.deployedVersion === 4 && j.state === 'RUNNING' && j.flinkJobId !== v3.flinkJobId, 'version 4 (= 1) running', 120_000);
    const events = await fjc.events(jobId);
    const v1Savepoint = ofType(events, 'SavepointRecorded').map(payload).find((p) => p.version === 1);
    expect(v1Savepoint).toMatchObject({ origin: 'upgrade', flinkJobId: v1.flinkJobId });
    expect(payload(ofType(events, 'RollbackStarted').at(-1))).toMatchObject({ trigger: 'operator', toVersion: 1, restoreFrom: { kind: 'savepoint', path: v1Savepoint?.path } });
    const deploy = ofType(events, 'ActionRequested').map(payload).find((p) => (p.action as Payload).kind === 'Deploy' && (p.action as Payload).specVersion === 4);
    expect((deploy?.action as Payload).restoreFrom).toEqual({ kind: 'savepoint', path: v1Savepoint?.path });
    // v3's state was kept too (stopped with a savepoint, recorded under version 3).
    expect(ofType(events, 'SavepointRecorded').map(payload).some((p) => p.version === 3 && p.origin === 'stop')).toBe(true);
    // v1 has a savepoint of its own: the rollback warned of nothing; the savepoints route lists both by version.
    expect((res.body as { warnings: unknown[] }).warnings).toEqual([]);
    const listed = (await fjc.request('GET', `/jobs/${jobId}/savepoints`)).body as { savepoints: Payload[] };
    expect(listed.savepoints).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: v1Savepoint?.path, version: 1, origin: 'upgrade', disposedAt: null }),
        expect.objectContaining({ version: 3, origin: 'stop', disposedAt: null }),
      ]),
    );
    // Its counts start from v1's, well below v3's.
    const restored = await eventually('restored counters', () => testJobCounters(fjc.flink, back.flinkJobId as string), (c) => c.records > 0 && c.total > c.records);
    const baseline = restored.total - restored.records;
    expect(baseline).toBeGreaterThanOrEqual(v1Count);
    expect(baseline).toBeLessThan(v3Count);
    expect(v2.flinkJobId).not.toBe(back.flinkJobId);
    expect(await fjc.runningInFlinkSoon(jobId)).toEqual([back.flinkJobId]);
  }, 600_000);

  it('a last-state upgrade starts from the latest retained checkpoint and counts continue; a stateless one starts empty', async () => {
    const jobId = newJob('modes');
    const mode = (upgradeMode: string, args: string[]) => streamSpec(jobId, args, (s) => {
      (s.deployment as Payload).upgrade_mode = upgradeMode;
    });
    const v1 = await stableV1(jobId, mode('last-state', ['--name', 'a']));
    const counted = (await eventually('counted and checkpointed', () => testJobCounters(fjc.flink, v1.flinkJobId as string), (c) => c.total >= 60)).total;
    expect((await fjc.request('PUT', `/jobs/${jobId}`, mode('last-state', ['--name', 'b']))).status).toBe(200);
    const v2 = await fjc.waitForState(jobId, (j) => j.deployedVersion === 2 && j.state === 'RUNNING', 'last-state upgrade done', 120_000);
    const deploy = ofType(await fjc.events(jobId), 'ActionSucceeded').map(payload).find((p) => p.kind === 'Upgrade' && p.flinkJobId === v2.flinkJobId);
    expect(deploy).toMatchObject({ restoredFrom: { kind: 'checkpoint', path: expect.stringContaining(`${v1.flinkJobId}/chk-`) } });
    const restored = await eventually('continued counters', () => testJobCounters(fjc.flink, v2.flinkJobId as string), (c) => c.records > 0 && c.total > c.records);
    // From a checkpoint taken before the stop: at least what v1 had counted a while before.
    expect(restored.total - restored.records).toBeGreaterThan(counted / 2);

    expect((await fjc.request('PUT', `/jobs/${jobId}`, mode('stateless', ['--name', 'c']))).status).toBe(200);
    const v3 = await fjc.waitForState(jobId, (j) => j.deployedVersion === 3 && j.state === 'RUNNING', 'stateless upgrade done', 120_000);
    const fresh = await eventually('fresh counters', () => testJobCounters(fjc.flink, v3.flinkJobId as string), (c) => c.records > 0);
    expect(fresh.total).toBe(fresh.records);
  }, 420_000);

  it('a stable job that restarts more than its budget allows is marked unhealthy and redeployed from its newest checkpoint', async () => {
    const jobId = newJob('budget');
    // Passes its gates (5 s, one checkpoint, restarts tolerated), then fails every 15 s.
    const spec = streamSpec(jobId, ['--fail-after-ms', '15000'], (s) => {
      Object.assign(s.stream_config as Payload, {
        stability: { min_running_time: '5s', min_checkpoints: 1, max_restarts: 100, deadline: '60s' },
        restart_budget: { max_restarts: 2, window: '10m', remedy: 'redeploy' },
      });
    });
    const v1 = await stableV1(jobId, spec, 5_000);
    const unhealthy = await eventually('JobUnhealthy', async () => ofType(await fjc.events(jobId), 'JobUnhealthy').map(payload), (found) => found.length > 0, { timeoutMs: 180_000, intervalMs: 1_000 });
    expect(unhealthy[0]).toMatchObject({ version: 1, flinkJobId: v1.flinkJobId, remedy: 'redeploy', windowMs: 600_000 });
    expect(unhealthy[0].restarts as number).toBeGreaterThan(2);
    const fresh = await fjc.waitForState(jobId, (j) => j.flinkJobId !== v1.flinkJobId && j.flinkJobId !== null, 'a fresh Flink job', 120_000);
    const events = await fjc.events(jobId);
    const deploy = ofType(events, 'ActionRequested').map(payload).find((p) => (p.action as Payload).kind === 'Deploy' && (p.action as Payload).flinkJobId === fresh.flinkJobId);
    expect(((deploy?.action as Payload).restoreFrom as Payload).kind).toBe('checkpoint');
    expect(ofType(events, 'ActionRequested').map(payload).some((p) => (p.action as Payload).kind === 'Cancel' && (p.action as Payload).flinkJobId === v1.flinkJobId && (p.action as Payload).keepState === true)).toBe(true);
    // It starts from the checkpoint the cancel retained (not one observed earlier, since subsumed).
    const cancelled = ofType(events, 'ActionSucceeded').map(payload).find((p) => p.kind === 'Cancel' && p.flinkJobId === v1.flinkJobId);
    expect(cancelled?.retainedCheckpoint).toMatchObject({ path: expect.stringContaining(`${v1.flinkJobId}/chk-`) });
    expect((deploy?.action as Payload).restoreFrom).toEqual({ kind: 'checkpoint', path: (cancelled?.retainedCheckpoint as Payload).path });
    // The alert was raised with the reason while FJC stepped in.
    expect(ofType(events, 'LifecycleChanged').map(payload).some((p) => p.alert === true && (p.lastError as Payload | null)?.code === 'FJC_RESTART_BUDGET_EXCEEDED')).toBe(true);
    // The fresh job starts from the checkpoint: its counts go on from where v1's were.
    const restored = await eventually('restored counters', () => testJobCounters(fjc.flink, fresh.flinkJobId as string), (c) => c.records > 0 && c.total > c.records, { timeoutMs: 90_000, intervalMs: 500 });
    expect(restored.total - restored.records).toBeGreaterThan(0);
  }, 420_000);

  it('periodic savepoints every 10 s with keep_last 2 leave at most two on disk besides the pinned one', async () => {
    const jobId = newJob('retention');
    const dir = mkdtempSync(join(tmpdir(), 'fjc-retention-'));
    const spec = streamSpec(jobId, [], (s) => {
      (s.deployment as Payload).savepoint_path = `file://${dir}`;
      Object.assign(s.stream_config as Payload, { savepoint_trigger_interval: '10s', savepoint_retention: { keep_last: 2 } });
    });
    await stableV1(jobId, spec);
    const disposed = await eventually(
      'three savepoints disposed of',
      async () => ofType(await fjc.events(jobId), 'ActionSucceeded').map(payload).filter((p) => p.kind === 'DisposeSavepoint'),
      (found) => found.length >= 3,
      { timeoutMs: 150_000, intervalMs: 2_000 },
    );
    const recorded = ofType(await fjc.events(jobId), 'SavepointRecorded').map(payload);
    expect(recorded.length).toBeGreaterThanOrEqual(5);
    for (const d of disposed) expect(recorded.map((r) => r.path)).toContain(d.path);
    // keep_last 2 besides the pinned one (the last stable version's newest); a savepoint just
    // taken lives until the disposal it causes has run, so the count is read once it settles.
    const onDisk = await eventually('settled on disk', async () => readdirSync(dir).filter((f) => f.startsWith('savepoint-')), (files) => files.length <= 3, { timeoutMs: 30_000, intervalMs: 500 });
    expect(onDisk.length).toBeGreaterThanOrEqual(1);
    for (const d of disposed) expect(onDisk).not.toContain(String(d.path).split('/').pop());
    // The savepoints route flags what retention disposed of, and lists the rest as present, newest first.
    const listed = ((await fjc.request('GET', `/jobs/${jobId}/savepoints`)).body as { savepoints: { path: string; takenAt: string; disposedAt: string | null }[] }).savepoints;
    for (const d of disposed) expect(listed.find((p) => p.path === d.path)?.disposedAt).toEqual(expect.any(String));
    expect(listed[0].disposedAt).toBeNull();
    expect(listed.map((p) => p.takenAt)).toEqual([...listed.map((p) => p.takenAt)].sort().reverse());
  }, 300_000);
});
