// Templates on the real stack: a parent and a child template render a job's spec (refused at the
// parameter's path when a parameter has the wrong type); jobs run from the child; a new version
// of the child changes no running job; its plan predicts, per job, a redeploy through a savepoint,
// and the rollout then does exactly that in Flink: each old Flink job stopped with a savepoint
// (FINISHED), each new one restored from it. Two jobs, not three: the test Flink has two slots.
import type { PlanResponse, TemplatePlanResponse, TemplateRolloutResponse } from '@fjc/contracts';
import { eventually, uniqueSuffix } from '@fjc/testing';
import { FjcSystem } from '../support/system';

const PARENT = {
  name: 'scn-stream-base',
  // Text: args are text, and a value that is only a placeholder takes the parameter's type.
  parameters: { keys: { type: 'string', default: '4', pattern: '^[1-9][0-9]?$' } },
  spec: {
    artifact_path: 'fjc-test-job.jar',
    artifact_signature: 'sha256:d7cca577a37d4ee8817c050e7040c6a5af7ed6e9d0c5fbb23f9f2a86c4c88555',
    entry_class: 'dev.fjc.testjob.TestJob',
    deployment: { parallelism: 1, upgrade_mode: 'savepoint', checkpoint_interval: '1h' },
    labels: { team: 'data-platform' },
  },
};
const child = (rate: string) => ({
  name: 'scn-counter',
  extends: 'scn-stream-base@1',
  parameters: { parallelism: { type: 'integer', default: 1, min: 1, max: 2 }, name: { type: 'string', required: true, pattern: '^[a-z0-9-]+$' } },
  spec: {
    job_type: 'stream',
    deployment: { parallelism: '${params.parallelism}' },
    args: ['--mode', 'stream', '--rate', rate, '--keys', '${params.keys}', '--name', '${params.name}'],
  },
});

describe('templates: render, plan a template change, roll it out through savepoints', () => {
  let fjc: FjcSystem;
  const suffix = uniqueSuffix();
  const jobs = [`tpl-a-${suffix}`, `tpl-b-${suffix}`];
  const jobSpec = (jobId: string, params: Record<string, unknown>) => ({ job_id: jobId, template: 'scn-counter@1', params, labels: { owner: jobId } });
  const flinkJobBefore = new Map<string, string>();
  let plan: TemplatePlanResponse;

  beforeAll(async () => {
    fjc = await FjcSystem.start();
  });
  afterAll(() => fjc?.stop());

  it('a parent and a child template render a valid spec; a wrong parameter type is reported at its path', async () => {
    expect((await fjc.request('PUT', '/templates/scn-stream-base', PARENT)).body).toEqual({ name: 'scn-stream-base', version: 1, changed: true });
    expect((await fjc.request('PUT', '/templates/scn-counter', child('20'))).body).toEqual({ name: 'scn-counter', version: 1, changed: true });

    const wrong = await fjc.request('PUT', `/jobs/${jobs[0]}`, jobSpec(jobs[0], { name: 'a', parallelism: 'four' }));
    expect(wrong).toEqual({ status: 400, body: { errors: [{ path: 'params.parallelism', code: 'FJC_TEMPLATE_PARAM_INVALID', message: 'expected integer, got "four"' }] } });
    expect((await fjc.request('GET', `/jobs/${jobs[0]}`)).status).toBe(404);

    for (const jobId of jobs) expect(await fjc.request('PUT', `/jobs/${jobId}`, jobSpec(jobId, { name: jobId }))).toMatchObject({ status: 201, body: { version: 1 } });
    const { spec } = (await fjc.request('GET', `/jobs/${jobs[0]}`)).body as { spec: Record<string, unknown> };
    expect(spec).toMatchObject({
      job_type: 'stream',
      deployment: { parallelism: 1, upgrade_mode: 'savepoint' },
      args: ['--mode', 'stream', '--rate', '20', '--keys', '4', '--name', jobs[0]],
      labels: { team: 'data-platform', owner: jobs[0] },
    });
  });

  it('the jobs run from the template, and a new template version changes none of them', async () => {
    for (const jobId of jobs) {
      const running = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== null, 'RUNNING', 90_000);
      flinkJobBefore.set(jobId, running.flinkJobId as string);
    }
    expect((await fjc.request('PUT', '/templates/scn-counter', child('30'))).body).toEqual({ name: 'scn-counter', version: 2, changed: true });
    for (const jobId of jobs) expect(await fjc.job(jobId)).toMatchObject({ version: 1, flinkJobId: flinkJobBefore.get(jobId) });
  });

  it("the template's plan predicts a redeploy through a savepoint for each job", async () => {
    const res = await fjc.request('POST', '/templates/scn-counter/plan', { toVersion: 2 });
    expect(res.status).toBe(200);
    plan = res.body as TemplatePlanResponse;
    expect(plan.jobs.map((j) => [j.jobId, j.fromVersion, j.outcome])).toEqual([...jobs].sort().map((id) => [id, 1, 'change']));
    for (const j of plan.jobs) {
      const p = j.plan as PlanResponse;
      expect(p).toMatchObject({ changeClass: 'redeploy', version: 2, comparedWith: { version: 1, as: 'deployed' } });
      expect(p.diff).toEqual([expect.objectContaining({ path: 'args', effect: 'redeploy' })]);
      expect(p.steps).toEqual([
        expect.objectContaining({ kind: 'stop-with-savepoint', flinkJobId: flinkJobBefore.get(j.jobId) }),
        expect.objectContaining({ kind: 'start', version: 2, parallelism: 1, restoreFrom: 'stop-savepoint' }),
      ]);
    }
    // The plan changed nothing.
    for (const jobId of jobs) expect((await fjc.job(jobId)).version).toBe(1);
  });

  it('the rollout does what the plan said: each old Flink job stopped with a savepoint, each new one restored from it', async () => {
    const res = await fjc.request('POST', '/templates/scn-counter/rollout', { toVersion: 2 });
    expect(res.status).toBe(200);
    expect((res.body as TemplateRolloutResponse).jobs.map((j) => [j.jobId, j.status, j.version])).toEqual([...jobs].sort().map((id) => [id, 'accepted', 2]));
    for (const planned of plan.jobs) {
      const steps = (planned.plan as PlanResponse).steps;
      const before = flinkJobBefore.get(planned.jobId) as string;
      const after = (await fjc.waitForState(planned.jobId, (j) => j.state === 'RUNNING' && j.deployedVersion === 2 && j.flinkJobId !== before, 'version 2 RUNNING', 90_000)).flinkJobId as string;
      // Stopped with a savepoint (FINISHED), as planned, not cancelled.
      expect(steps[0].kind).toBe('stop-with-savepoint');
      expect((await fjc.flink.job(before))?.state).toBe('FINISHED');
      // Started from that savepoint, with the planned parallelism and the new template's args.
      const savepoint = await upgradeSavepointOf(planned.jobId, after);
      const restored = await eventually('the restore reported', async () => (await fjc.flink.checkpoints(after))?.restored?.externalPath, (p) => p !== undefined, { timeoutMs: 30_000, intervalMs: 1_000 });
      expect(lastSegment(restored)).toBe(lastSegment(savepoint));
      expect((await fjc.flink.job(after))?.vertices.every((v) => v.parallelism === steps[1].parallelism)).toBe(true);
      expect(((await fjc.request('GET', `/jobs/${planned.jobId}`)).body as { spec: unknown }).spec).toMatchObject({ args: ['--mode', 'stream', '--rate', '30', '--keys', '4', '--name', planned.jobId] });
      // The log says which template version the job's spec came from.
      const updates = (await fjc.events(planned.jobId)).filter((e) => e.type === 'SpecUpdated').map((e) => (e.payload as { template?: { name: string; version: number } }).template);
      expect(updates.map((t) => `${t?.name}@${t?.version}`)).toEqual(['scn-counter@1', 'scn-counter@2']);
    }
    // Leave no job behind on the shared slots.
    for (const jobId of jobs) expect((await fjc.request('DELETE', `/jobs/${jobId}`, {})).status).toBe(202);
    for (const jobId of jobs) await eventually(`${jobId} gone from Flink`, () => fjc.runningInFlink(jobId), (ids) => ids.length === 0, { timeoutMs: 60_000, intervalMs: 1_000 });
  });

  /** The savepoint the deployer's Upgrade to `newFlinkJob` took of the job it replaced. */
  async function upgradeSavepointOf(jobId: string, newFlinkJob: string): Promise<string> {
    const events = await fjc.events(jobId);
    const requested = events.find((e) => e.type === 'ActionRequested' && e.payload.action?.kind === 'Upgrade' && e.payload.action.flinkJobId === newFlinkJob);
    const succeeded = events.find((e) => e.type === 'ActionSucceeded' && e.payload.actionId === requested?.payload.actionId);
    return (succeeded?.payload as { savepoint?: { location: string } } | undefined)?.savepoint?.location ?? 'none';
  }
});

/** The savepoint's own directory name: Flink and the deployer may write its URI differently (file:/ or file:///). */
function lastSegment(path: string | undefined): string {
  return (path ?? '').replace(/\/+$/, '').split('/').at(-1) ?? '';
}
