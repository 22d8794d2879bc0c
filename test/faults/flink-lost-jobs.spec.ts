// The Flink cluster loses its jobs: JobManager and TaskManager killed with SIGKILL and started
// again, without HA. Three checkpointing stream jobs come back from their retained checkpoints
// (the log names the path) and their keyed counters continue; a job that had state but never
// took a checkpoint is not started empty: it waits in NEEDS_ATTENTION until `fjc recover
// --empty-state` (the built CLI, with the operator's API token) starts it, with the operator
// recorded as the actor.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually, testJobCounters, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem, type EnvelopeView } from '../support/system';
import { killFlink, startFlink } from './support/fault-stack';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'tools', 'cli', 'dist', 'main.js');

interface Checkpointed {
  readonly flinkJobId: string;
  readonly id: number;
  readonly path: string;
  readonly completedAt: string;
}

describe('Flink loses its jobs (kill -9, no HA)', () => {
  let fjc: FjcSystem;
  const suffix = uniqueSuffix();
  const stateful = ['2s', '3s', '5s'].map((interval, i) => ({ jobId: `lost-${i + 1}-${suffix}`, interval }));
  const noCheckpoint = { jobId: `lost-nostate-${suffix}` };
  const flinkJobOf = new Map<string, string>();
  const countedBefore = new Map<string, number>();

  // Flink starts the first checkpoint after a random delay between the minimum pause and the
  // interval: a job that must not checkpoint soon needs both long.
  const spec = (jobId: string, interval: string, minPause = '0s') =>
    exampleSpec('stream-savepoint.yaml', jobId, (s) => {
      const deployment = s.deployment as Record<string, unknown>;
      deployment.checkpoint_interval = interval;
      (s.stream_config as Record<string, unknown>).min_pause_between_checkpoints = minPause;
      s.args = ['--mode', 'stream', '--rate', '20', '--keys', '4'];
    });

  const checkpointsIn = (events: EnvelopeView[], flinkJobId: string): Checkpointed[] =>
    events
      .filter((e) => e.type === 'JobObserved' && e.payload.flinkJobId === flinkJobId && e.payload.lastCheckpoint !== undefined)
      .map((e) => ({ flinkJobId, ...(e.payload.lastCheckpoint as { id: number; path: string; completedAt: string }) }));

  beforeAll(async () => {
    fjc = await FjcSystem.start();
  });
  afterAll(() => fjc?.stop());

  it('runs three checkpointing stream jobs and one whose first checkpoint is an hour away', async () => {
    for (const { jobId, interval } of stateful) expect((await fjc.request('PUT', `/jobs/${jobId}`, spec(jobId, interval))).status).toBe(201);
    // upgrade_mode savepoint (it has state), but no checkpoint before Flink goes down.
    expect((await fjc.request('PUT', `/jobs/${noCheckpoint.jobId}`, spec(noCheckpoint.jobId, '1h', '1h'))).status).toBe(201);
    for (const jobId of [...stateful.map((j) => j.jobId), noCheckpoint.jobId]) {
      const job = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== null, 'RUNNING', 120_000);
      flinkJobOf.set(jobId, job.flinkJobId as string);
    }
  });

  it('records each retained checkpoint in the log as it completes', async () => {
    for (const { jobId } of stateful) {
      const flinkJobId = flinkJobOf.get(jobId) as string;
      const counted = await eventually('counts', () => testJobCounters(fjc.flink, flinkJobId), (c) => c.total >= 20, { timeoutMs: 60_000, intervalMs: 1_000 });
      const readAt = Date.now();
      countedBefore.set(jobId, counted.total);
      // A checkpoint completed well after the counters were read holds at least those counts.
      const recorded = await eventually(
        `${jobId}: a checkpoint recorded after the counters were read`,
        async () => checkpointsIn(await fjc.events(jobId), flinkJobId),
        (found) => found.some((c) => Date.parse(c.completedAt) > readAt + 3_000),
        { timeoutMs: 60_000, intervalMs: 1_000 },
      );
      expect(recorded.at(-1)?.path).toMatch(new RegExp(`/${flinkJobId}/chk-\\d+$`));
      // Newest last, never going back. An observation reporting something else (restarts,
      // checkpoint counts, output) carries the newest checkpoint again, so an id may repeat,
      // always with the same path.
      const ids = recorded.map((c) => c.id);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      for (const c of recorded) expect(recorded.filter((o) => o.id === c.id).every((o) => o.path === c.path)).toBe(true);
    }
    const none = checkpointsIn(await fjc.events(noCheckpoint.jobId), flinkJobOf.get(noCheckpoint.jobId) as string);
    expect(none).toEqual([]);
  });

  it('restores each job from a retained checkpoint after Flink lost them, and the keyed counters continue', async () => {
    await killFlink();
    await startFlink();
    for (const { jobId } of stateful) {
      const old = flinkJobOf.get(jobId) as string;
      const job = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== null && j.flinkJobId !== old, 'RUNNING again on a new Flink job', 180_000);
      const events = await fjc.events(jobId);
      const deploys = events.filter((e) => e.type === 'ActionRequested' && e.payload.action?.kind === 'Deploy');
      const redeploy = deploys.at(-1) as EnvelopeView;
      const restoreFrom = (redeploy.payload.action as { restoreFrom?: { kind: string; path: string } }).restoreFrom;
      expect(restoreFrom).toMatchObject({ kind: 'checkpoint', path: expect.stringMatching(new RegExp(`/${old}/chk-\\d+$`)) });
      // The log says which path: the lifecycle change that asked for it, and the state the job started from.
      const reasons = events.filter((e) => e.type === 'LifecycleChanged').map((e) => String(e.payload.reason));
      expect(reasons.some((r) => r.includes('NOT_FOUND') && r.includes(`checkpoint ${restoreFrom?.path}`))).toBe(true);
      const succeeded = events.find((e) => e.type === 'ActionSucceeded' && e.payload.actionId === redeploy.payload.actionId);
      expect(succeeded?.payload.restoredFrom).toMatchObject({ kind: 'checkpoint', path: expect.stringMatching(new RegExp(`/${old}/chk-\\d+$`)) });
      const restored = await eventually(
        `${jobId}: counters of the restored job`,
        () => testJobCounters(fjc.flink, job.flinkJobId as string),
        (c) => c.records > 0 && c.total > c.records,
        { timeoutMs: 90_000, intervalMs: 1_000 },
      );
      // Carried over from before the kill: not from zero.
      expect(restored.total - restored.records).toBeGreaterThanOrEqual(countedBefore.get(jobId) as number);
    }
  });

  it('does not start a job empty that had state and has none left: NEEDS_ATTENTION until fjc recover --empty-state', async () => {
    const { jobId } = noCheckpoint;
    const old = flinkJobOf.get(jobId) as string;
    const waiting = await fjc.waitForState(jobId, (j) => j.state === 'NEEDS_ATTENTION', 'NEEDS_ATTENTION', 180_000);
    expect(waiting.lastError).toMatchObject({ code: 'FJC_STATE_NOT_FOUND' });
    expect(waiting.lastError?.message).toContain(old);
    // It stays so: no Deploy after the loss, even through resyncs (every 5 s here).
    const deploysBefore = (await fjc.events(jobId)).filter((e) => e.type === 'ActionRequested' && e.payload.action?.kind === 'Deploy').length;
    await new Promise((r) => setTimeout(r, 12_000));
    expect((await fjc.job(jobId)).state).toBe('NEEDS_ATTENTION');
    expect((await fjc.events(jobId)).filter((e) => e.type === 'ActionRequested' && e.payload.action?.kind === 'Deploy')).toHaveLength(deploysBefore);

    const cli = await run(process.execPath, [CLI, 'recover', jobId, '--empty-state'], {
      env: { ...process.env, FJC_API_URL: fjc.service('spec-service').url, FJC_TOKEN: fjc.world.adminToken },
    });
    expect(cli.stdout).toContain('starts with empty state');
    const job = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== null && j.flinkJobId !== old, 'RUNNING after recover', 120_000);
    const events = await fjc.events(jobId);
    const decision = events.find((e) => e.type === 'JobRecoveryRequested');
    // The operator is whoever the token says: here the world's admin API token.
    const operator = { kind: 'service', subject: expect.stringMatching(/^token:bootstrap-admin-/), tokenId: expect.any(String) };
    expect(decision).toMatchObject({ actor: operator, payload: { from: { kind: 'empty-state' } } });
    const deploy = events.filter((e) => e.type === 'ActionRequested' && e.payload.action?.kind === 'Deploy').at(-1) as EnvelopeView;
    expect(deploy).toMatchObject({ actor: operator, causationId: decision?.id, payload: { action: { flinkJobId: job.flinkJobId } } });
    expect(deploy.payload.action).not.toHaveProperty('restoreFrom');
    const recovered = events.filter((e) => e.type === 'LifecycleChanged' && e.payload.from === 'NEEDS_ATTENTION');
    expect(String(recovered[0]?.payload.reason)).toMatch(/recovered by service token:bootstrap-admin-\S+: starting with empty state/);
  });
});
