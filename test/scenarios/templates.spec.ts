// Templates on the real stack: a parent and a child template render a job's spec (refused at the
// parameter's path when a parameter has the wrong type; an integer parameter alone in args is
// rendered as text); three jobs run from the child; a new version of the child changes no running
// job; its plan predicts, per job, a redeploy through a savepoint, and the rollout then does
// exactly that in Flink: each old Flink job stopped with a savepoint (FINISHED), each new one
// restored from it. Three stream jobs of parallelism 1: the test Flink has 4 slots
// (infra/flink/flink.sh), one left for the cron scenario that runs beside this one.
import type { PlanResponse, TemplatePlanResponse, TemplateRolloutResponse } from '@fjc/contracts';
import { eventually, stackFlinkClient, uniqueSuffix } from '@fjc/testing';
import { FjcSystem } from '../support/system';

const PARENT = {
  name: 'scn-stream-base',
  // An integer: alone in args (text) it is rendered as "4".
  parameters: { keys: { type: 'integer', default: 4, min: 1, max: 99 } },
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
const argsAt = (rate: string, jobId: string) => ['--mode', 'stream', '--rate', rate, '--keys', '4', '--name', jobId];

describe('templates: render, plan a template change, roll it out through savepoints', () => {
  let fjc: FjcSystem;
  const suffix = uniqueSuffix();
  const jobs = [`tpl-a-${suffix}`, `tpl-b-${suffix}`, `tpl-c-${suffix}`];
  const jobSpec = (jobId: string, params: Record<string, unknown>) => ({ job_id: jobId, template: 'scn-counter@1', params, labels: { owner: jobId } });
  const flinkJobBefore = new Map<string, string>();
  let plan: TemplatePlanResponse;

  beforeAll(async () => {
    // A stack left running from before this needed three slots free fails here, not in a timeout.
    const overview = await stackFlinkClient().overview();
    if (overview['slots-total'] < 3) throw new Error(`the test Flink has ${overview['slots-total']} slots; this scenario runs three jobs: restart the stack (infra/flink/flink.sh gives 4, FLINK_TM_SLOTS)`);
    fjc = await FjcSystem.start();
  });
  afterAll(() => fjc?.stop());

  it('a parent and a child template render a valid spec; a wrong parameter type is reported at its path', async () => {
    expect((await fjc.request('PUT', '/templates/scn-stream-base', PARENT)).body).toEqual({ name: 'scn-stream-base', version: 1, changed: true });
    expect((await fjc.request('PUT', '/templates/scn-counter', child('20'))).body).toEqual({ name: 'scn-counter', version: 1, changed: true });

    const wrong = await fjc.request('PUT', `/jobs/${jobs[0]}`, jobSpec(jobs[0], { name: 'a', parallelism: 'four' }));
    expect(wrong).toEqual({ status: 400, body: { errors: [{ path: 'params.parallelism', code: 'FJC_TEMPLATE_PARAM_INVALID', message: 'expected integer, got "four"' }] } });
    expect((await fjc.request('GET', `/jobs/${jobs[0]}`)).status).toBe(404);
    // A job may not take the name under which the log files the template's events.
    const reserved = await fjc.request('PUT', '/jobs/template-scn-counter', jobSpec('template-scn-counter', { name: 'x' }));
    expect(reserved).toMatchObject({ status: 400, body: { errors: [{ path: 'job_id', code: 'FJC_JOB_ID_RESERVED' }] } });

    for (const jobId of jobs) expect(await fjc.request('PUT', `/jobs/${jobId}`, jobSpec(jobId, { name: jobId }))).toMatchObject({ status: 201, body: { version: 1 } });
    const { spec } = (await fjc.request('GET', `/jobs/${jobs[0]}`)).body as { spec: Record<string, unknown> };
    expect(spec).toMatchObject({
      job_type: 'stream',
      deployment: { parallelism: 1, upgrade_mode: 'savepoint' },
      args: argsAt('20', jobs[0]),
      labels: { team: 'data-platform', owner: jobs[0] },
    });
  });

  it('the jobs run from the template, and a new template version changes none of them', async () => {
    await Promise.all(
      jobs.map(async (jobId) => {
        const running = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== null, 'RUNNING', 90_000);
        flinkJobBefore.set(jobId, running.flinkJobId as string);
      }),
    );
    expect((await fjc.request('PUT', '/templates/scn-counter', child('30'))).body).toEqual({ name: 'scn-counter', version: 2, changed: true });
    for (const jobId of jobs) expect(await fjc.job(jobId)).toMatchObject({ version: 1, flinkJobId: flinkJobBefore.get(jobId) });
  });

  it("the template's plan predicts, for each of the three jobs, a redeploy through a savepoint of the Flink job it runs", async () => {
    const res = await fjc.request('POST', '/templates/scn-counter/plan', { toVersion: 2 });
    expect(res.status).toBe(200);
    plan = res.body as TemplatePlanResponse;
    expect(plan.jobs.map((j) => [j.jobId, j.fromVersion, j.outcome])).toEqual([...jobs].sort().map((id) => [id, 1, 'change']));
    for (const j of plan.jobs) {
      const p = j.plan as PlanResponse;
      expect(p).toMatchObject({ changeClass: 'redeploy', version: 2, comparedWith: { version: 1, as: 'deployed' } });
      expect(p.diff).toEqual([expect.objectContaining({ path: 'args', old: argsAt('20', j.jobId), new: argsAt('30', j.jobId), effect: 'redeploy' })]);
      expect(p.steps).toEqual([
        expect.objectContaining({ kind: 'stop-with-savepoint', flinkJobId: flinkJobBefore.get(j.jobId) }),
        expect.objectContaining({ kind: 'start', version: 2, parallelism: 1, restoreFrom: 'stop-savepoint' }),
      ]);
    }
    // The plan changed nothing.
    for (const jobId of jobs) expect((await fjc.job(jobId)).version).toBe(1);
  });

  it('the rollout does what the plan said to all three: each old Flink job stopped with a savepoint, each new one restored from it', async () => {
    const res = await fjc.request('POST', '/templates/scn-counter/rollout', { toVersion: 2 });
    expect(res.status).toBe(200);
    // The jobs the plan said would change are the ones that did.
    expect((res.body as TemplateRolloutResponse).jobs.map((j) => [j.jobId, j.status, j.version])).toEqual(plan.jobs.map((j) => [j.jobId, 'accepted', (j.plan as PlanResponse).version]));
    const after = new Map<string, string>();
    await Promise.all(
      plan.jobs.map(async ({ jobId }) => {
        const before = flinkJobBefore.get(jobId) as string;
        const running = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.deployedVersion === 2 && j.flinkJobId !== before, 'version 2 RUNNING', 90_000);
        after.set(jobId, running.flinkJobId as string);
      }),
    );
    expect(new Set(after.values()).size).toBe(3);
    for (const planned of plan.jobs) {
      const p = planned.plan as PlanResponse;
      const before = flinkJobBefore.get(planned.jobId) as string;
      const now = after.get(planned.jobId) as string;
      // The log: the Upgrade that started the new Flink job (a retried attempt may precede it),
      // in savepoint mode, from the Flink job the plan named.
      const events = await fjc.events(planned.jobId);
      const upgrade = events.find((e) => e.type === 'ActionRequested' && e.payload.action?.kind === 'Upgrade' && e.payload.action.flinkJobId === now);
      expect(upgrade?.payload.action).toEqual(expect.objectContaining({ fromFlinkJobId: p.steps[0].flinkJobId, upgradeMode: 'savepoint', specVersion: 2 }));
      const succeeded = events.find((e) => e.type === 'ActionSucceeded' && e.payload.actionId === upgrade?.payload.actionId);
      const savepoint = (succeeded?.payload as { savepoint?: { location: string } } | undefined)?.savepoint?.location;
      expect(savepoint).toEqual(expect.any(String));
      // Flink: the old job stopped with that savepoint (FINISHED, not cancelled), the new one restored from it,
      // with the planned parallelism and the new template's args.
      expect((await fjc.flink.job(before))?.state).toBe('FINISHED');
      const restored = await eventually('the restore reported', async () => (await fjc.flink.checkpoints(now))?.restored?.externalPath, (x) => x !== undefined, { timeoutMs: 30_000, intervalMs: 1_000 });
      expect(lastSegment(restored)).toBe(lastSegment(savepoint));
      expect((await fjc.flink.job(now))?.vertices.every((v) => v.parallelism === p.steps[1].parallelism)).toBe(true);
      expect(((await fjc.request('GET', `/jobs/${planned.jobId}`)).body as { spec: { args: unknown } }).spec.args).toEqual(p.diff[0].new);
      // The log says which template version the job's spec came from.
      const updates = events.filter((e) => e.type === 'SpecUpdated').map((e) => (e.payload as { template?: { name: string; version: number } }).template);
      expect(updates.map((t) => `${t?.name}@${t?.version}`)).toEqual(['scn-counter@1', 'scn-counter@2']);
    }
    // Leave no job behind on the shared slots.
    for (const jobId of jobs) expect((await fjc.request('DELETE', `/jobs/${jobId}`, {})).status).toBe(202);
    for (const jobId of jobs) await eventually(`${jobId} gone from Flink`, () => fjc.runningInFlink(jobId), (ids) => ids.length === 0, { timeoutMs: 60_000, intervalMs: 1_000 });
  });
});

/** The savepoint's own directory name: Flink and the deployer may write its URI differently (file:/ or file:///). */
function lastSegment(path: string | undefined): string {
  return (path ?? '').replace(/\/+$/, '').split('/').at(-1) ?? '';
}
