// Issue 13 on the spec-service, as a built process against the real PostgreSQL and Kafka: the
// status read model's restarts, candidate and failedVersion (and an older LifecycleChanged
// without them), the savepoints route from SavepointRecorded and DisposeSavepoint events in the
// log, and the warnings of a rollback that could drop state.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { appendToStream, inTransaction, newEventOfEnvelope } from '@fjc/event-log';
import { eventually } from '@fjc/testing';
import { startSpecService, type SpecServiceWorld } from './testing/spec-service-world';

const ROOT = join(__dirname, '..', '..', '..');
const JOB = 'stab-http';
const base = parse(readFileSync(join(ROOT, 'examples', 'specs', 'stream-stateless.yaml'), 'utf8')) as Record<string, unknown> & { deployment: Record<string, unknown> };
const specWith = (deployment: Record<string, unknown>) => ({ ...base, job_id: JOB, deployment: { ...base.deployment, upgrade_mode: 'savepoint', ...deployment } });
const HASH = (c: string) => `sha256:${c.repeat(64)}`;
const FLINK_1 = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const FLINK_2 = 'b1b2c3d4e5f60718293a4b5c6d7e8f91';

let s: SpecServiceWorld;

beforeAll(async () => {
  s = await startSpecService();
});
afterAll(async () => {
  await s?.close();
});

function envelope(type: string, streamVersion: number, payload: Record<string, unknown>, producer = 'reconciler') {
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    jobId: JOB,
    streamVersion,
    occurredAt: new Date().toISOString(),
    producer,
    actor: { kind: 'service' as const, id: producer },
    correlationId: `corr-${type}-${streamVersion}`,
    causationId: randomUUID(),
    payload,
  };
}

async function append(streamId: string, events: ReturnType<typeof envelope>[]): Promise<void> {
  await inTransaction(s.db, (tx) => appendToStream(tx, streamId, 'any', events.map(newEventOfEnvelope)));
}

const lifecycle = (to: string, extra: Record<string, unknown>) => ({
  from: 'DEPLOYING',
  to,
  desiredVersion: 2,
  deployedVersion: 1,
  lastStableVersion: 1,
  flinkJobId: FLINK_1,
  reason: `now ${to}`,
  lastError: null,
  alert: false,
  ...extra,
});

describe('status: restarts, candidate, failedVersion', () => {
  it('shows an older LifecycleChanged without the new fields as restarts null, candidate false, failedVersion null', async () => {
    expect((await s.http(`/api/v1/jobs/${JOB}`, { method: 'PUT', json: specWith({ parallelism: 1 }) })).status).toBe(201);
    expect((await s.http(`/api/v1/jobs/${JOB}`, { method: 'PUT', json: specWith({ parallelism: 2 }) })).body).toMatchObject({ version: 2 });
    await append(`reconciler-${JOB}`, [envelope('LifecycleChanged', 1, lifecycle('RUNNING', {}))]);
    const job = await eventually('the job RUNNING', () => s.http(`/api/v1/jobs/${JOB}`), (r) => r.body.state === 'RUNNING', { timeoutMs: 30_000 });
    expect(job.body).toMatchObject({ state: 'RUNNING', restarts: null, candidate: false, failedVersion: null });
  });

  it('shows a candidate with its restarts, then the rolled-back job with the failed version and why', async () => {
    await append(`reconciler-${JOB}`, [envelope('LifecycleChanged', 2, lifecycle('RESTARTING', { deployedVersion: 2, flinkJobId: FLINK_2, restarts: 2, candidate: true }))]);
    const restarting = await eventually('the job RESTARTING', () => s.http(`/api/v1/jobs/${JOB}`), (r) => r.body.state === 'RESTARTING', { timeoutMs: 30_000 });
    expect(restarting.body).toMatchObject({ restarts: 2, candidate: true, failedVersion: null, deployedVersion: 2 });

    const lastError = { code: 'FJC_STABILITY_TOO_MANY_RESTARTS', message: 'version 2 restarted 4 times (at most 3)' };
    await append(`reconciler-${JOB}`, [
      envelope('LifecycleChanged', 3, lifecycle('ROLLED_BACK', { from: 'ROLLING_BACK', restarts: 0, candidate: false, failedVersion: 2, lastError, alert: true })),
    ]);
    const rolledBack = await eventually('the job ROLLED_BACK', () => s.http(`/api/v1/jobs/${JOB}`), (r) => r.body.state === 'ROLLED_BACK', { timeoutMs: 30_000 });
    expect(rolledBack.body).toMatchObject({ restarts: 0, candidate: false, failedVersion: 2, lastError, alert: true });
    const listed = (await s.http(`/api/v1/jobs?q=${JOB}`)).body.jobs.find((j: { jobId: string }) => j.jobId === JOB);
    expect(listed).toMatchObject({ state: 'ROLLED_BACK', restarts: 0, candidate: false, failedVersion: 2 });
  });
});

describe('GET /api/v1/jobs/{jobId}/savepoints', () => {
  const recorded = (path: string, version: number, hash: string, flinkJobId: string, takenAt: string, origin: string) => ({ path, version, specHash: hash, flinkJobId, takenAt, origin });

  it('lists the savepoints newest first with their versions, the disposed one with disposedAt; 404 for an unknown job', async () => {
    const empty = await s.http(`/api/v1/jobs/${JOB}/savepoints`);
    expect(empty).toMatchObject({ status: 200, body: { jobId: JOB, savepoints: [] } });

    const actionId = randomUUID();
    const other = randomUUID();
    await append(`reconciler-${JOB}`, [
      envelope('SavepointRecorded', 4, recorded('file:///sp/savepoint-1', 1, HASH('a'), FLINK_1, '2026-01-01T10:00:00.000Z', 'triggered')),
      envelope('SavepointRecorded', 5, recorded('file:///sp/savepoint-2', 1, HASH('a'), FLINK_1, '2026-01-01T11:00:00.000Z', 'upgrade')),
      envelope('SavepointRecorded', 6, recorded('file:///sp/savepoint-3', 2, HASH('b'), FLINK_2, '2026-01-01T12:00:00.000Z', 'observed')),
      envelope('ActionRequested', 7, { actionId, cluster: 'default', action: { kind: 'DisposeSavepoint', path: 'file:///sp/savepoint-1', triggerId: 'c'.repeat(32) } }),
      // Asked for but not (yet) done: the savepoint still exists.
      envelope('ActionRequested', 8, { actionId: other, cluster: 'default', action: { kind: 'DisposeSavepoint', path: 'file:///sp/savepoint-3', triggerId: 'd'.repeat(32) } }),
    ]);
    await append(`deployer-${JOB}`, [envelope('ActionSucceeded', 1, { actionId, kind: 'DisposeSavepoint', path: 'file:///sp/savepoint-1' }, 'deployer')]);

    const res = await s.http(`/api/v1/jobs/${JOB}/savepoints`);
    expect(res.status).toBe(200);
    expect(res.body.savepoints.map((p: { path: string; version: number; origin: string }) => [p.path, p.version, p.origin])).toEqual([
      ['file:///sp/savepoint-3', 2, 'observed'],
      ['file:///sp/savepoint-2', 1, 'upgrade'],
      ['file:///sp/savepoint-1', 1, 'triggered'],
    ]);
    expect(res.body.savepoints[0]).toEqual({
      path: 'file:///sp/savepoint-3',
      version: 2,
      specHash: HASH('b'),
      flinkJobId: FLINK_2,
      takenAt: '2026-01-01T12:00:00.000Z',
      origin: 'observed',
      disposedAt: null,
    });
    expect(res.body.savepoints[1].disposedAt).toBeNull();
    expect(res.body.savepoints[2].disposedAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));

    expect(await s.http('/api/v1/jobs/never-was/savepoints')).toMatchObject({ status: 404, body: { errors: [{ code: 'FJC_JOB_NOT_FOUND' }] } });
  });
});

describe('rollback warnings', () => {
  it('warns of allow_non_restored_state, a version without a savepoint and a changed max parallelism; none for a version with its own savepoint', async () => {
    // Version 3: parallelism 100 (max parallelism 256, the running version 1's is 128), no savepoint, allow_non_restored_state.
    const v3 = await s.http(`/api/v1/jobs/${JOB}`, { method: 'PUT', json: specWith({ parallelism: 100, allow_non_restored_state: true }) });
    expect(v3.body).toMatchObject({ version: 3, changed: true });
    await s.http(`/api/v1/jobs/${JOB}`, { method: 'PUT', json: specWith({ parallelism: 3 }) });

    const toThree = await s.http(`/api/v1/jobs/${JOB}/rollback`, { method: 'POST', json: { toVersion: 3 } });
    expect(toThree.status).toBe(200);
    expect(toThree.body).toMatchObject({ jobId: JOB, version: 5, changed: true });
    expect(toThree.body.warnings.map((w: { code: string; path: string }) => [w.code, w.path])).toEqual([
      ['FJC_ROLLBACK_NON_RESTORED_STATE', 'deployment.allow_non_restored_state'],
      ['FJC_ROLLBACK_NO_SAVEPOINT', 'toVersion'],
      ['FJC_ROLLBACK_MAX_PARALLELISM_CHANGED', 'deployment.parallelism'],
    ]);
    expect(toThree.body.warnings[2].message).toContain('max parallelism 256');

    // Version 2 has a savepoint of its own (savepoint-3, not disposed): nothing to warn of.
    const toTwo = await s.http(`/api/v1/jobs/${JOB}/rollback`, { method: 'POST', json: { toVersion: 2 } });
    expect(toTwo.body).toEqual({ jobId: JOB, version: 6, changed: true, warnings: [] });
    // Already current: unchanged, no warnings.
    expect((await s.http(`/api/v1/jobs/${JOB}/rollback`, { method: 'POST', json: { toVersion: 2 } })).body).toEqual({ jobId: JOB, version: 6, changed: false, warnings: [] });
  });
});
