// The plan before each kind of change matches what then happens in Flink: one savepoint-mode
// stream job, planned (POST /jobs/{id}/plan) and then applied as a new job, a metadata-only
// change (the same Flink job keeps running), a rescale and a redeploy (the old Flink job stopped
// with a savepoint, a new one started from that savepoint with the planned parallelism).
import type { PlanResponse } from '@fjc/contracts';
import { eventually, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';

describe('fjc plan: the plan matches what happens', () => {
  let fjc: FjcSystem;
  const jobId = `planned-${uniqueSuffix()}`;
  const spec = (parallelism: number, changes: { team?: string; rate?: string } = {}) =>
    exampleSpec('stream-savepoint.yaml', jobId, (s) => {
      (s.deployment as Record<string, unknown>).parallelism = parallelism;
      (s.deployment as Record<string, unknown>).checkpoint_interval = '1h';
      s.args = ['--mode', 'stream', '--rate', changes.rate ?? '20', '--keys', '4'];
      s.labels = { team: changes.team ?? 'data-platform' };
    });

  beforeAll(async () => {
    fjc = await FjcSystem.start();
  });
  afterAll(() => fjc?.stop());

  async function plan(body: unknown): Promise<PlanResponse> {
    const res = await fjc.request('POST', `/jobs/${jobId}/plan`, body);
    expect(res.status).toBe(200);
    return res.body as PlanResponse;
  }

  /** Applies `body`, then waits for the version to be RUNNING on a Flink job other than `before`. */
  async function applyAndWaitForNewFlinkJob(body: unknown, version: number, before: string) {
    expect((await fjc.request('PUT', `/jobs/${jobId}`, body)).body).toMatchObject({ version, changed: true });
    const job = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.deployedVersion === version && j.flinkJobId !== before, `version ${version} RUNNING`);
    return job.flinkJobId as string;
  }

  /** What the deployer did for the upgrade that started `flinkJobId`: the savepoint it took of the old job. */
  async function upgradeSavepointOf(flinkJobId: string): Promise<string> {
    const events = await fjc.events(jobId);
    const requested = events.find((e) => e.type === 'ActionRequested' && e.payload.action?.kind === 'Upgrade' && e.payload.action.flinkJobId === flinkJobId);
    const succeeded = events.find((e) => e.type === 'ActionSucceeded' && e.payload.actionId === requested?.payload.actionId);
    return (succeeded?.payload as { savepoint?: { location: string } } | undefined)?.savepoint?.location ?? 'none';
  }

  /** The planned upgrade happened: the old Flink job stopped with a savepoint (FINISHED, not
   *  CANCELED), the new one restored from that savepoint and runs with the planned parallelism. */
  async function expectUpgradeAsPlanned(planned: PlanResponse, from: string, to: string) {
    const [stop, start] = planned.steps;
    expect(stop).toMatchObject({ kind: 'stop-with-savepoint', flinkJobId: from });
    expect((await fjc.flink.job(from))?.state).toBe('FINISHED');
    const savepoint = await upgradeSavepointOf(to);
    const restored = await eventually('the restore reported', async () => (await fjc.flink.checkpoints(to))?.restored?.externalPath, (p) => p !== undefined, { timeoutMs: 30_000, intervalMs: 1_000 });
    expect(lastSegment(restored)).toBe(lastSegment(savepoint));
    expect(start).toMatchObject({ kind: 'start', version: planned.version, restoreFrom: 'stop-savepoint' });
    expect((await fjc.flink.job(to))?.vertices.map((v) => v.parallelism)).toEqual(expect.arrayContaining([start.parallelism]));
    expect((await fjc.flink.job(to))?.vertices.every((v) => v.parallelism === start.parallelism)).toBe(true);
  }

  let running: string;

  it('a new job: planned as new-job with its parallelism, then runs so in Flink', async () => {
    const planned = await plan(spec(1));
    expect(planned).toMatchObject({ changeClass: 'new-job', version: 1, job: null });
    expect(planned.steps).toEqual([expect.objectContaining({ kind: 'start', version: 1, parallelism: 1, restoreFrom: 'empty' })]);
    // Planning appended nothing: the job does not exist.
    expect((await fjc.request('GET', `/jobs/${jobId}`)).status).toBe(404);
    expect((await fjc.request('PUT', `/jobs/${jobId}`, spec(1))).status).toBe(201);
    running = (await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== null, 'RUNNING', 90_000)).flinkJobId as string;
    expect(await fjc.runningInFlinkSoon(jobId)).toEqual([running]);
    expect((await fjc.flink.job(running))?.vertices.every((v) => v.parallelism === 1)).toBe(true);
  });

  it('metadata-only: planned to keep the Flink job, and the same Flink job keeps running', async () => {
    // The deployer records each cluster's overview on a loop of its own (every 5 s at most): plan
    // until it has arrived, so the slot check below compares with a real reading.
    const planned = await eventually('a plan with the cluster overview', () => plan(spec(1, { team: 'payments' })), (p) => p.slots.total !== null, { timeoutMs: 60_000, intervalMs: 1_000 });
    expect(planned).toMatchObject({ changeClass: 'metadata-only', version: 2, comparedWith: { version: 1, as: 'deployed' } });
    expect(planned.steps).toEqual([expect.objectContaining({ kind: 'keep', flinkJobId: running })]);
    expect(planned.diff).toEqual([{ path: 'labels', old: { team: 'data-platform' }, new: { team: 'payments' }, effect: 'metadata-only' }]);
    expect(planned.slots.needed).toBe(0);
    // The deployer's overview of the stack's Flink reached the plan.
    const overview = await fjc.flink.overview();
    expect(planned.slots).toMatchObject({ cluster: 'default', total: overview['slots-total'], flinkVersion: overview['flink-version'] });

    expect((await fjc.request('PUT', `/jobs/${jobId}`, spec(1, { team: 'payments' }))).body).toMatchObject({ version: 2, changed: true });
    await fjc.waitForState(jobId, (j) => j.deployedVersion === 2, 'version 2 adopted', 60_000);
    const events = await fjc.events(jobId);
    expect(events.filter((e) => e.type === 'VersionAdopted').map((e) => e.payload)).toEqual([{ version: 2, reason: 'metadata-only' }]);
    expect(events.some((e) => e.type === 'ActionRequested' && e.payload.action?.kind === 'Upgrade')).toBe(false);
    expect((await fjc.job(jobId)).flinkJobId).toBe(running);
    expect((await fjc.flink.job(running))?.state).toBe('RUNNING');
  });

  it('rescale: planned stop-with-savepoint and start with parallelism 2, and so it happens', async () => {
    const planned = await plan(spec(2, { team: 'payments' }));
    expect(planned).toMatchObject({ changeClass: 'rescale', version: 3, job: { flinkJobId: running } });
    expect(planned.summary).toBe(`rescale: stop Flink job ${running} with a savepoint; then start version 3 from that savepoint as a new Flink job with parallelism 2`);
    expect(planned.slots).toMatchObject({ needed: 2, released: 1 });
    expect(planned.diff).toEqual([{ path: 'deployment.parallelism', old: 1, new: 2, effect: 'rescale' }]);
    const next = await applyAndWaitForNewFlinkJob(spec(2, { team: 'payments' }), 3, running);
    await expectUpgradeAsPlanned(planned, running, next);
    running = next;
  });

  it('redeploy: planned stop-with-savepoint and start of the new args, and so it happens', async () => {
    const planned = await plan(spec(2, { team: 'payments', rate: '30' }));
    expect(planned).toMatchObject({ changeClass: 'redeploy', version: 4, comparedWith: { version: 3, as: 'deployed' } });
    expect(planned.diff).toEqual([expect.objectContaining({ path: 'args', effect: 'redeploy' })]);
    expect(planned.jar).toMatchObject({ changed: false, from: { sha256Source: 'recorded' } });
    const next = await applyAndWaitForNewFlinkJob(spec(2, { team: 'payments', rate: '30' }), 4, running);
    await expectUpgradeAsPlanned(planned, running, next);
  });
});

/** The savepoint's own directory name: Flink and the deployer may write its URI differently (file:/ or file:///). */
function lastSegment(path: string | undefined): string {
  return (path ?? '').replace(/\/+$/, '').split('/').at(-1) ?? '';
}
