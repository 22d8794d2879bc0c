// Recovery: the spec-service's projections (job_specs, job_status) rebuilt from the event log by
// `fjc log replay --rebuild spec-service` are identical to the ones built live, after rows were
// lost; refused while the spec-service runs.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { appendToStream, inTransaction, type NewEvent } from '@fjc/event-log';
import { eventually } from '@fjc/testing';
import { startSpecService, type SpecServiceWorld } from './testing/spec-service-world';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'tools', 'cli', 'bin', 'fjc.js');
const spec = (jobId: string, parallelism: number) => {
  const s = parse(readFileSync(join(ROOT, 'examples', 'specs', 'stream-stateless.yaml'), 'utf8')) as Record<string, unknown> & { deployment: Record<string, unknown> };
  return { ...s, job_id: jobId, deployment: { ...s.deployment, parallelism } };
};

let s: SpecServiceWorld;
beforeAll(async () => {
  s = await startSpecService();
});
afterAll(() => s?.close());

/** What the reconciler would append: a lifecycle change of one job. */
function lifecycle(jobId: string, to: 'DEPLOYING' | 'RUNNING', version: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'LifecycleChanged',
    schemaVersion: 1,
    jobId,
    payload: {
      from: to === 'RUNNING' ? 'DEPLOYING' : null,
      to,
      desiredVersion: version,
      deployedVersion: to === 'RUNNING' ? version : null,
      lastStableVersion: to === 'RUNNING' ? version : null,
      flinkJobId: to === 'RUNNING' ? 'a'.repeat(32) : null,
      reason: 'test',
      lastError: null,
      alert: false,
    },
    metadata: { producer: 'reconciler', actor: { kind: 'service', id: 'reconciler' }, correlationId: randomUUID(), causationId: null },
    occurredAt: new Date(),
  };
}

const snapshot = async () => ({
  specs: (await s.db.query('select job_id, version, spec_hash, spec, deleted from job_specs order by job_id')).rows,
  status: (await s.db.query('select job_id, lifecycle_version, state, desired_version, deployed_version, last_stable_version, flink_job_id, last_error, reason, alert from job_status order by job_id')).rows,
});

it('rebuilds job_specs and job_status from the log, identical to the live ones', async () => {
  const jobs = ['rebuild-a', 'rebuild-b'];
  for (const jobId of jobs) expect((await s.http(`/api/v1/jobs/${jobId}`, { method: 'PUT', json: spec(jobId, 1) })).status).toBe(201);
  expect((await s.http('/api/v1/jobs/rebuild-a', { method: 'PUT', json: spec('rebuild-a', 2) })).status).toBe(200);
  for (const jobId of jobs) {
    await inTransaction(s.db, (tx) => appendToStream(tx, `reconciler-${jobId}`, 'no-stream', [lifecycle(jobId, 'DEPLOYING', 1), lifecycle(jobId, 'RUNNING', 1)]));
  }
  for (const jobId of jobs) {
    await eventually(`${jobId} RUNNING in the read model`, async () => (await s.http(`/api/v1/jobs/${jobId}`)).body.state, (st) => st === 'RUNNING', { timeoutMs: 30_000 });
  }
  const live = await snapshot();
  expect(live.specs).toHaveLength(2);
  expect(live.status).toHaveLength(2);

  // Lose the projections (a bad migration, a restore from an old backup...).
  await s.db.query('delete from job_status; delete from job_specs');
  expect((await s.http('/api/v1/jobs/rebuild-a')).status).toBe(404);

  const rebuild = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'log', 'replay', '--rebuild', 'spec-service', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: s.world.db.url } });
  // Not under a running spec-service: refused, and nothing touched.
  const refused = rebuild();
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toMatch(/FJC_REBUILD_SERVICE_RUNNING: an instance of spec-service is running; stop every spec-service instance/);
  expect((await s.db.query('select count(*)::int as n from job_specs')).rows[0].n).toBe(0);

  await s.service.stop();
  const run = rebuild();
  expect(run.stderr).not.toMatch(/FJC_REBUILD_FAILED/);
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/spec-service projections rebuilt: \d+ events replayed, 4 lifecycle changes, 2 job specs/);
  expect(await snapshot()).toEqual(live);
  await s.service.start();
  expect((await s.http('/api/v1/jobs/rebuild-a')).body).toMatchObject({ version: 2, state: 'RUNNING' });

  // From a position: only what follows is folded in, nothing is lost.
  const unknown = spawnSync(process.execPath, [BIN, 'log', 'replay', '--rebuild', 'no-such-service'], { cwd: ROOT, encoding: 'utf8' });
  expect(unknown.status).toBe(2);
  await s.service.stop();
  const tail = rebuild('--after-position', '3');
  expect(tail.stderr).not.toMatch(/FJC_REBUILD_FAILED/);
  expect(tail.status).toBe(0);
  expect(await snapshot()).toEqual(live);
});
