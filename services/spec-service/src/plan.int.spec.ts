// POST /api/v1/jobs/{jobId}/plan against the built spec-service on the real PostgreSQL: a plan
// for a new job and for a change of a running one (the status, the recorded jar digest and the
// deployer's cluster overview, which the service's own role may read but not write: see
// test/stack/database-roles.int.spec.ts), refused exactly where apply refuses, and never
// appending anything; `fjc plan` prints it and exits 0, or 1 when refused.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { LifecycleChangedEvent, PlanResponseSchema } from '@fjc/contracts';
import { appendToStream, inTransaction, newEventOfEnvelope } from '@fjc/event-log';
import { newApiToken } from '@fjc/testing';
import { apiTokenHash } from './auth/api-tokens';
import { recordLifecycle } from './read-model/job-status-table';
import { startSpecService, type SpecServiceWorld } from './testing/spec-service-world';

const ROOT = join(__dirname, '..', '..', '..');
const JOB = 'orders-plan';
const yaml = readFileSync(join(ROOT, 'examples', 'specs', 'stream-savepoint.yaml'), 'utf8').replace(/^job_id: .*$/m, `job_id: ${JOB}`);
const spec = parse(yaml) as Record<string, unknown> & { deployment: Record<string, unknown> };
const withParallelism = (n: number) => ({ ...spec, deployment: { ...spec.deployment, parallelism: n } });
const FLINK_JOB = '3f2a00000000000000000000000000aa';
const SHA = 'd7cca577a37d4ee8817c050e7040c6a5af7ed6e9d0c5fbb23f9f2a86c4c88555';

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

const plan = (body: { json?: unknown; yaml?: string }, headers: Record<string, string> = {}, jobId = JOB) => s.http(`/api/v1/jobs/${jobId}/plan`, { method: 'POST', ...body, headers });
const eventCount = async () => Number((await s.db.query<{ n: string }>('select count(*) as n from event_log')).rows[0].n);

describe('POST /api/v1/jobs/{jobId}/plan', () => {
  it('plans a new job from YAML: 200, new-job, start with its parallelism; appends nothing, the job stays unknown', async () => {
    const before = await eventCount();
    const res = await plan({ yaml });
    expect(res.status).toBe(200);
    const body = PlanResponseSchema.parse(res.body);
    expect(body).toMatchObject({ jobId: JOB, changeClass: 'new-job', changed: true, version: 1, currentVersion: null, comparedWith: null, job: null, diff: [] });
    expect(body.steps).toEqual([expect.objectContaining({ kind: 'start', version: 1, parallelism: spec.deployment.parallelism, restoreFrom: 'empty' })]);
    // Nobody observed the cluster in this world: unknown, and said so.
    expect(body.slots).toMatchObject({ cluster: 'default', free: null, enough: null, note: 'unknown: the deployer has not observed cluster default yet' });
    expect(body.warnings.map((w) => w.code)).toContain('FJC_PLAN_SLOTS_UNKNOWN');
    expect(await eventCount()).toBe(before);
    expect((await s.http(`/api/v1/jobs/${JOB}`)).status).toBe(404);
  });

  it('plans a rescale of the running job against the deployed version, with the recorded jar digest and the cluster overview', async () => {
    expect((await s.http(`/api/v1/jobs/${JOB}`, { method: 'PUT', yaml })).status).toBe(201);
    await runningAt(1);
    // What the deployer writes (its own role may; the spec-service's may only read it).
    await s.db.query(
      `insert into cluster_overview (cluster, slots_total, slots_free, taskmanagers, flink_version, observed_at, checked_at) values ('default', 4, 1, 1, '2.3.0', now() - interval '20 seconds', now())`,
    );
    const before = await eventCount();
    const res = await plan({ json: withParallelism(2) });
    expect(res.status).toBe(200);
    const body = PlanResponseSchema.parse(res.body);
    expect(body).toMatchObject({ changeClass: 'rescale', changed: true, version: 2, currentVersion: 1, comparedWith: { version: 1, as: 'deployed' } });
    expect(body.job).toMatchObject({ state: 'RUNNING', flinkJobId: FLINK_JOB, deployedVersion: 1 });
    expect(body.steps).toEqual([
      { kind: 'stop-with-savepoint', flinkJobId: FLINK_JOB, text: `stop Flink job ${FLINK_JOB} with a savepoint` },
      { kind: 'start', version: 2, parallelism: 2, restoreFrom: 'stop-savepoint', text: 'start version 2 from that savepoint as a new Flink job with parallelism 2' },
    ]);
    expect(body.diff).toEqual([{ path: 'deployment.parallelism', old: 1, new: 2, effect: 'rescale' }]);
    expect(body.slots).toMatchObject({ needed: 2, released: 1, free: 1, total: 4, taskManagers: 1, flinkVersion: '2.3.0', enough: true });
    expect(body.slots.ageSeconds).toBeGreaterThanOrEqual(20);
    expect(body.jar).toMatchObject({ changed: false, from: { sha256: SHA, sha256Source: 'recorded' } });
    expect(await eventCount()).toBe(before);
    expect((await s.http(`/api/v1/jobs/${JOB}`)).body.version).toBe(1);
  });

  it('refuses what apply refuses, with the same errors, appending nothing', async () => {
    const before = await eventCount();
    const cases: { body: { json?: unknown; yaml?: string }; headers?: Record<string, string>; jobId?: string }[] = [
      { body: { json: { ...withParallelism(0), colour: 'red' } } },
      { body: { json: withParallelism(2) }, jobId: 'another-job' },
      { body: { json: withParallelism(2) }, headers: { 'If-Match': '7' } },
      { body: { json: withParallelism(2) }, headers: { authorization: `Bearer ${viewerToken}` } },
    ];
    for (const c of cases) {
      const jobId = c.jobId ?? JOB;
      const planned = await plan(c.body, c.headers, jobId);
      // Apply of the same, after the plan: the same status and errors.
      const applied = await s.http(`/api/v1/jobs/${jobId}`, { method: 'PUT', ...c.body, headers: c.headers });
      expect(planned.status).toBeGreaterThanOrEqual(400);
      expect({ status: planned.status, body: planned.body }).toEqual({ status: applied.status, body: applied.body });
    }
    const statuses = await Promise.all(cases.map((c) => plan(c.body, c.headers, c.jobId).then((r) => [r.status, r.body.errors[0].code])));
    expect(statuses).toEqual([
      [400, 'FJC_SPEC_OUT_OF_RANGE'],
      [400, 'FJC_JOB_ID_MISMATCH'],
      [409, 'FJC_VERSION_CONFLICT'],
      [403, 'FJC_FORBIDDEN'],
    ]);
    const media = await s.http(`/api/v1/jobs/${JOB}/plan`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(media).toMatchObject({ status: 415, body: { errors: [{ code: 'FJC_UNSUPPORTED_MEDIA_TYPE' }] } });
    expect(await eventCount()).toBe(before);
  });

  it('fjc plan prints the plan (text, json) and exits 0; a refused spec exits 1 with its errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fjc-plan-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, yaml.replace(/parallelism: \d+/, 'parallelism: 2'));
    const text = await fjc('plan', good);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${JOB}: rescale (stream; version 1 -> 2, compared with deployed version 1)`);
    expect(text.stdout).toContain(`1. stop Flink job ${FLINK_JOB} with a savepoint`);
    expect(text.stdout).toContain('deployment.parallelism: 1 -> 2 (rescale)');
    expect(text.stdout).toMatch(/slots: cluster default \(Flink 2\.3\.0, 1 TaskManager\): needs 2, 1 freed first; 1 of 4 free, observed \d+ s ago: enough/);
    const json = await fjc('plan', good, '-o', 'json');
    expect(PlanResponseSchema.parse(JSON.parse(json.stdout)).changeClass).toBe('rescale');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, yaml.replace(/parallelism: \d+/, 'parallelism: 0'));
    const refused = await fjc('plan', bad);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/bad\.yaml: deployment\.parallelism: must be at least 1, got 0 \(line \d+\)/);
  });
});

/** As the reconciler and deployer would leave it: the job RUNNING at `version`, its jar's digest recorded. */
async function runningAt(version: number): Promise<void> {
  const lifecycle = LifecycleChangedEvent.parse({
    id: randomUUID(),
    type: 'LifecycleChanged',
    schemaVersion: 1,
    jobId: JOB,
    streamVersion: 1,
    occurredAt: new Date().toISOString(),
    producer: 'reconciler',
    actor: { kind: 'service', id: 'reconciler' },
    correlationId: 'plan-test',
    causationId: randomUUID(),
    payload: { from: 'DEPLOYING', to: 'RUNNING', desiredVersion: version, deployedVersion: version, lastStableVersion: version, flinkJobId: FLINK_JOB, reason: 'running', lastError: null, alert: false },
  });
  const succeeded = {
    ...lifecycle,
    id: randomUUID(),
    type: 'ActionSucceeded',
    producer: 'deployer',
    payload: { actionId: randomUUID(), kind: 'Deploy', flinkJobId: FLINK_JOB, artifact: { sha256: SHA } },
  };
  await inTransaction(s.db, async (tx) => {
    await appendToStream(tx, `deployer-${JOB}`, 'no-stream', [newEventOfEnvelope(succeeded as never)]);
    await recordLifecycle(tx, lifecycle);
  });
}

function fjc(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'tools', 'cli', 'bin', 'fjc.js'), ...args], { cwd: ROOT, env: { ...process.env, FJC_API_URL: s.service.url, FJC_TOKEN: s.world.adminToken } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
