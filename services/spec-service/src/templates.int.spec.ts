// Templates against the built spec-service on the real PostgreSQL: versions recorded in the log
// (and job_templates), a parent and a child rendering a job's spec, parameter errors at their
// path, a template change that changes no job until a rollout, whose plan predicts it, and a
// rebuild that restores the template read models from the log alone.
import { randomUUID } from 'node:crypto';
import { TemplateListSchema, TemplatePlanResponseSchema, TemplateRolloutResponseSchema, TemplateVersionViewSchema } from '@fjc/contracts';
import { newApiToken } from '@fjc/testing';
import { apiTokenHash } from './auth/api-tokens';
import { rebuildProjections } from './rebuild/rebuild-projections';
import { startSpecService, type SpecServiceWorld } from './testing/spec-service-world';

const BASE = `
name: tpl-base
description: what every stream job here shares
parameters:
  log_level: { type: string, enum: [INFO, DEBUG], default: INFO }
spec:
  artifact_path: fjc-test-job.jar
  entry_class: dev.fjc.testjob.TestJob
  deployment: { parallelism: 1, upgrade_mode: savepoint, checkpoint_interval: 10s }
  monitoring: { log_level: "\${params.log_level}" }
  labels: { team: data, tier: gold }
`;
const child = (rate: number) => `
name: tpl-stream
extends: tpl-base@1
parameters:
  parallelism: { type: integer, default: 1, min: 1, max: 4 }
  name: { type: string, required: true, pattern: "^[a-z-]+$" }
spec:
  job_type: stream
  deployment: { parallelism: "\${params.parallelism}" }
  labels: { tier: null }
  args: ["--mode", "stream", "--rate", "${rate}", "--name", "\${params.name}"]
`;
const job = (jobId: string, params: Record<string, unknown>, version = 1) => ({ job_id: jobId, template: `tpl-stream@${version}`, params, labels: { owner: jobId } });

let s: SpecServiceWorld;
let viewerToken: string;

beforeAll(async () => {
  s = await startSpecService();
  viewerToken = newApiToken();
  await s.db.query(`insert into api_tokens (id, name, token_hash, role, namespace, created_by) values ($1, 'viewer', $2, 'viewer', '*', 'test')`, [randomUUID(), apiTokenHash(viewerToken)]);
});
afterAll(async () => {
  await s?.close();
});

const putTemplate = (name: string, yaml: string, headers: Record<string, string> = {}) => s.http(`/api/v1/templates/${name}`, { method: 'PUT', yaml, headers });
const templateEvents = async () => (await s.db.query<{ stream_id: string; stream_version: number; type: string }>(`select stream_id, stream_version, type from event_log where stream_id like 'template-%' order by position`)).rows;

describe('templates', () => {
  it('records versions in the log: 201 for the first, unchanged for the same content, a child extending a pinned parent', async () => {
    expect((await putTemplate('tpl-base', BASE)).body).toEqual({ name: 'tpl-base', version: 1, changed: true });
    const again = await putTemplate('tpl-base', BASE);
    expect([again.status, again.body]).toEqual([200, { name: 'tpl-base', version: 1, changed: false }]);
    const created = await putTemplate('tpl-stream', child(20));
    expect([created.status, created.body]).toEqual([201, { name: 'tpl-stream', version: 1, changed: true }]);
    expect(await templateEvents()).toEqual([
      { stream_id: 'template-tpl-base', stream_version: 1, type: 'TemplateVersionRecorded' },
      { stream_id: 'template-tpl-stream', stream_version: 1, type: 'TemplateVersionRecorded' },
    ]);
    const view = TemplateVersionViewSchema.parse((await s.http('/api/v1/templates/tpl-stream')).body);
    expect(view).toMatchObject({ name: 'tpl-stream', version: 1, template: { extends: 'tpl-base@1' }, actor: { kind: 'service' } });
    const list = TemplateListSchema.parse((await s.http('/api/v1/templates')).body);
    expect(list.templates.map((t) => [t.name, t.latestVersion, t.extends])).toEqual([['tpl-base', 1, null], ['tpl-stream', 1, 'tpl-base@1']]);
    expect((await s.http('/api/v1/templates/tpl-stream/versions/9')).status).toBe(404);
  });

  it('refuses a bad template with every error at its field, a missing parent, and a caller without the operator role everywhere', async () => {
    const bad = await putTemplate('tpl-bad', 'name: tpl-bad\nparameters:\n  p: { type: integer, default: x }\nspec:\n  args: ["${params.q}"]\n');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual([
      ['parameters.p.default', 'FJC_TEMPLATE_INVALID'],
      ['spec.args[0]', 'FJC_TEMPLATE_INVALID'],
    ]);
    const orphan = await putTemplate('tpl-orphan', 'name: tpl-orphan\nextends: tpl-none@1\n');
    expect([orphan.status, orphan.body.errors[0].path, orphan.body.errors[0].code]).toEqual([400, 'extends', 'FJC_TEMPLATE_NOT_FOUND']);
    const viewer = await putTemplate('tpl-base', BASE.replace('INFO, DEBUG', 'INFO, DEBUG, WARN'), { authorization: `Bearer ${viewerToken}` });
    expect([viewer.status, viewer.body.errors[0].code]).toEqual([403, 'FJC_FORBIDDEN']);
    expect((await putTemplate('tpl-base', BASE, { authorization: '' })).status).toBe(401);
    expect((await templateEvents()).length).toBe(2);
  });

  it("renders a job's spec from the child and its parent and records the template use with the version", async () => {
    const res = await s.http('/api/v1/jobs/tpl-orders', { method: 'PUT', json: job('tpl-orders', { parallelism: 2, name: 'orders' }) });
    expect([res.status, res.body.version]).toEqual([201, 1]);
    const spec = (await s.http('/api/v1/jobs/tpl-orders')).body.spec;
    expect(spec).toMatchObject({
      job_id: 'tpl-orders',
      job_type: 'stream',
      artifact_path: 'fjc-test-job.jar',
      deployment: { parallelism: 2, upgrade_mode: 'savepoint', checkpoint_interval: 10000 },
      monitoring: { log_level: 'INFO' },
      labels: { team: 'data', owner: 'tpl-orders' },
      args: ['--mode', 'stream', '--rate', '20', '--name', 'orders'],
    });
    expect(spec.labels.tier).toBeUndefined();
    const logged = await s.db.query(`select payload->'template' as template from event_log where job_id = 'tpl-orders' and type = 'SpecUpdated'`);
    expect(logged.rows[0].template).toEqual({ name: 'tpl-stream', version: 1, params: { parallelism: 2, name: 'orders' }, fields: { job_id: 'tpl-orders', labels: { owner: 'tpl-orders' } } });
  });

  it('refuses a wrong parameter type at its path, and a template version that is not recorded, appending nothing', async () => {
    const wrong = await s.http('/api/v1/jobs/tpl-wrong', { method: 'PUT', json: job('tpl-wrong', { parallelism: 'four', name: 'x' }) });
    expect([wrong.status, wrong.body.errors]).toEqual([400, [{ path: 'params.parallelism', code: 'FJC_TEMPLATE_PARAM_INVALID', message: 'expected integer, got "four"' }]]);
    const missing = await s.http('/api/v1/jobs/tpl-wrong', { method: 'PUT', json: job('tpl-wrong', { name: 'x' }, 7) });
    expect([missing.status, missing.body.errors[0].path, missing.body.errors[0].code]).toEqual([400, 'template', 'FJC_TEMPLATE_NOT_FOUND']);
    // The rendered spec is validated in full: a job field merged over the template is checked like any other.
    const invalid = await s.http('/api/v1/jobs/tpl-wrong', { method: 'PUT', json: { ...job('tpl-wrong', { name: 'x' }), deployment: { upgrade_mode: 'sometimes' } } });
    expect([invalid.status, invalid.body.errors[0].path]).toEqual([400, 'deployment.upgrade_mode']);
    expect(await s.logOf('tpl-wrong')).toEqual([]);
  });

  it('a template change changes no job; its plan predicts the change and the rollout applies it through each job', async () => {
    expect((await s.http('/api/v1/jobs/tpl-payments', { method: 'PUT', json: job('tpl-payments', { name: 'payments' }) })).status).toBe(201);
    expect((await putTemplate('tpl-stream', child(40))).body).toEqual({ name: 'tpl-stream', version: 2, changed: true });
    expect((await s.http('/api/v1/jobs/tpl-orders')).body.version).toBe(1);

    const eventsBefore = (await s.db.query('select count(*)::int as n from event_log')).rows[0].n;
    const planned = await s.http('/api/v1/templates/tpl-stream/plan', { method: 'POST', json: { toVersion: 2 } });
    expect(planned.status).toBe(200);
    const plan = TemplatePlanResponseSchema.parse(planned.body);
    expect(plan.jobs.map((j) => [j.jobId, j.fromVersion, j.outcome, j.plan?.version])).toEqual([
      ['tpl-orders', 1, 'change', 2],
      ['tpl-payments', 1, 'change', 2],
    ]);
    expect(plan.jobs[0].plan?.diff).toEqual([
      { path: 'args', old: ['--mode', 'stream', '--rate', '20', '--name', 'orders'], new: ['--mode', 'stream', '--rate', '40', '--name', 'orders'], effect: 'redeploy' },
    ]);
    expect((await s.db.query('select count(*)::int as n from event_log')).rows[0].n).toBe(eventsBefore);

    const onlyOne = await s.http('/api/v1/templates/tpl-stream/rollout', { method: 'POST', json: { toVersion: 2, jobs: ['tpl-orders'] } });
    expect(TemplateRolloutResponseSchema.parse(onlyOne.body).jobs).toEqual([{ jobId: 'tpl-orders', fromVersion: 1, specVersion: 1, status: 'accepted', version: 2, errors: [] }]);
    expect((await s.http('/api/v1/jobs/tpl-orders')).body.spec.args).toEqual(['--mode', 'stream', '--rate', '40', '--name', 'orders']);
    expect((await s.http('/api/v1/jobs/tpl-payments')).body.version).toBe(1);
    const logged = await s.db.query(`select payload->'template'->>'version' as v from event_log where job_id = 'tpl-orders' and type = 'SpecUpdated' order by position`);
    expect(logged.rows.map((r) => r.v)).toEqual(['1', '2']);

    const rest = TemplateRolloutResponseSchema.parse((await s.http('/api/v1/templates/tpl-stream/rollout', { method: 'POST', json: { toVersion: 2 } })).body);
    expect(rest.jobs.map((j) => [j.jobId, j.status, j.version])).toEqual([
      ['tpl-orders', 'unchanged', 2],
      ['tpl-payments', 'accepted', 2],
    ]);
  });

  it('refuses a rollout to an unrecorded version or of a job that does not use the template, and a viewer cannot roll out', async () => {
    expect((await s.http('/api/v1/templates/tpl-stream/rollout', { method: 'POST', json: { toVersion: 5 } })).status).toBe(404);
    const notUsing = await s.http('/api/v1/templates/tpl-base/plan', { method: 'POST', json: { toVersion: 1, jobs: ['tpl-orders'] } });
    expect([notUsing.status, notUsing.body.errors[0].path]).toEqual([400, 'jobs[0]']);
    const viewer = await s.http('/api/v1/templates/tpl-stream/rollout', { method: 'POST', json: { toVersion: 1 }, headers: { authorization: `Bearer ${viewerToken}` } });
    expect(TemplateRolloutResponseSchema.parse(viewer.body).jobs.map((j) => [j.status, j.errors[0]?.code])).toEqual([
      ['rejected', 'FJC_FORBIDDEN'],
      ['rejected', 'FJC_FORBIDDEN'],
    ]);
  });

  it('rebuilds job_templates and the template use of job_specs from the log alone', async () => {
    const snapshot = async () => ({
      templates: (await s.db.query('select name, version, template_hash, template, actor, recorded_at from job_templates order by name, version')).rows,
      uses: (await s.db.query('select job_id, template from job_specs order by job_id')).rows,
    });
    const before = await snapshot();
    expect(before.templates.length).toBe(3);
    const report = await rebuildProjections(s.db);
    expect(report.templateVersions).toBe(3);
    expect(await snapshot()).toEqual(before);
  });
});
