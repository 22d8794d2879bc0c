// The observer against the real stack's Flink (issue 13): a job in a restart loop is reported
// RESTARTING with a growing restart count, each of Flink's exceptions once as
// JobExceptionObserved (also across a kill -9 of the deployer), with the job's secret value
// redacted; checkpoint counts grow for a checkpointing job and stay at 0 completed for one whose
// checkpoints stall; a job whose sources stop emitting is reported at recordsOutPerSecond 0;
// DisposeSavepoint removes a savepoint Flink took. Jobs run one or two at a
// time: the cluster's slots are shared.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EventOf } from '@fjc/contracts';
import { eventually, newFlinkId, uniqueSuffix } from '@fjc/testing';
import { DeployerHarness, streamSpec } from './testing/deployer-harness';

const SECRET = `tok-${uniqueSuffix()}-Zq9`;
const h = new DeployerHarness();
const jobId = `obs-${uniqueSuffix()}`;
const [LOOP, STEADY, STALLED, QUIET] = [newFlinkId(), newFlinkId(), newFlinkId(), newFlinkId()];

beforeAll(() => h.start({ FJC_SECRET_DEFAULT_OBS13_TOKEN: SECRET }), 90_000);
afterAll(() => h.stop(), 60_000);

const exceptionsOf = (flinkJobId: string) =>
  h.received.filter((e): e is EventOf<'JobExceptionObserved'> => e.type === 'JobExceptionObserved' && e.payload.flinkJobId === flinkJobId);
const observationsOf = (flinkJobId: string) => h.received.filter((e): e is EventOf<'JobObserved'> => e.type === 'JobObserved' && e.payload.flinkJobId === flinkJobId);
const loggedExceptionIds = async () => (await h.logged(jobId)).filter((e) => e.type === 'JobExceptionObserved').map((e) => String(e.payload['exceptionId']));

describe('observing a job in a restart loop', () => {
  let deployerLogs = '';

  it('is reported RESTARTING with restarts growing, and each exception once, its secret redacted', async () => {
    const deploy = await h.request(jobId, {
      kind: 'Deploy',
      flinkJobId: LOOP,
      specVersion: 1,
      spec: streamSpec(jobId, { args: ['--mode', 'stream', '--rate', '20', '--print-every', '0', '--fail-after-ms', '1500', '--throw-message', { secretRef: 'default/obs13/token' }] }),
    });
    await h.next('ActionSucceeded', (e) => e.payload.actionId === deploy.actionId);

    await h.next('JobObserved', (e) => e.payload.flinkJobId === LOOP && e.payload.flinkState === 'RESTARTING', 90_000);
    await h.next('JobObserved', (e) => e.payload.flinkJobId === LOOP && (e.payload.restarts ?? 0) >= 2, 90_000);
    const restarts = observationsOf(LOOP).flatMap((e) => (e.payload.restarts === undefined ? [] : [e.payload.restarts]));
    expect(restarts).toEqual([...restarts].sort((a, b) => a - b));

    const exceptions = await eventually('two exceptions reported', async () => exceptionsOf(LOOP), (list) => list.length >= 2, { timeoutMs: 60_000 });
    for (const e of exceptions) {
      expect(e.payload).toMatchObject({ rootCause: { name: 'java.lang.IllegalStateException', message: '[REDACTED]' }, taskName: expect.stringContaining('counter') });
    }
    // Several observations of the job saw the same history: each entry is in the log once.
    const ids = await loggedExceptionIds();
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ids).size).toBe(ids.length);
    deployerLogs += h.deployer.logs(100_000);
  }, 180_000);

  it('reports no exception twice across a kill -9 of the deployer, and goes on reporting new ones', async () => {
    const before = await loggedExceptionIds();
    deployerLogs += h.deployer.logs(100_000);
    h.deployer.kill9();
    await h.restart(90_000);
    // The job keeps failing: new exceptions come, old ones are not reported again.
    const after = await eventually('new exceptions after the restart', loggedExceptionIds, (ids) => ids.length >= before.length + 2, { timeoutMs: 90_000 });
    expect(new Set(after).size).toBe(after.length);
    expect(after.slice(0, before.length)).toEqual(before);
    deployerLogs += h.deployer.logs(100_000);
  }, 180_000);

  it('never lets the secret value into the log, the topics or the deployer\'s logs', async () => {
    expect(JSON.stringify(await h.logged(jobId))).not.toContain(SECRET);
    expect(JSON.stringify(h.received)).not.toContain(SECRET);
    expect(deployerLogs + h.deployer.logs(100_000)).not.toContain(SECRET);
    // The value did reach Flink: the redaction, not an absent secret, keeps it out.
    const history = await h.flink.exceptionHistory(LOOP);
    expect(history?.[0]?.stacktrace).toContain(SECRET);
    await h.flink.cancel(LOOP);
  });
});

describe('checkpoint counts', () => {
  it('grow for a checkpointing job and stay at 0 completed for one whose checkpoints stall', async () => {
    const steady = await h.request(jobId, {
      kind: 'Deploy',
      flinkJobId: STEADY,
      specVersion: 2,
      spec: streamSpec(jobId, { args: ['--mode', 'stream', '--rate', '20', '--print-every', '0', '--checkpoint-ms', '500'] }),
    });
    await h.next('ActionSucceeded', (e) => e.payload.actionId === steady.actionId);
    const stalled = await h.request(jobId, {
      kind: 'Deploy',
      flinkJobId: STALLED,
      specVersion: 3,
      spec: streamSpec(jobId, { args: ['--mode', 'stream', '--rate', '20', '--print-every', '0', '--stall-checkpoints', '--checkpoint-ms', '500', '--checkpoint-timeout-ms', '1000'] }),
    });
    await h.next('ActionSucceeded', (e) => e.payload.actionId === stalled.actionId);

    const first = await h.next('JobObserved', (e) => e.payload.flinkJobId === STEADY && (e.payload.checkpoints?.completed ?? 0) >= 1, 90_000);
    const firstCompleted = first.payload.checkpoints?.completed ?? 0;
    await h.next('JobObserved', (e) => e.payload.flinkJobId === STEADY && (e.payload.checkpoints?.completed ?? 0) > firstCompleted, 60_000);
    await h.next('JobObserved', (e) => e.payload.flinkJobId === STEADY && (e.payload.recordsOutPerSecond ?? 0) > 0, 60_000);

    // Several checkpoints of the stalled job expired, none completed.
    await eventually('expired checkpoints of the stalled job', async () => (await h.flink.checkpoints(STALLED))?.counts?.failed ?? 0, (n) => n >= 2, { timeoutMs: 60_000 });
    await h.next('JobObserved', (e) => e.payload.flinkJobId === STALLED && e.payload.flinkState === 'RUNNING' && e.payload.checkpoints !== undefined, 60_000);
    const stalledCounts = observationsOf(STALLED).flatMap((e) => (e.payload.checkpoints ? [e.payload.checkpoints.completed] : []));
    expect(stalledCounts.length).toBeGreaterThan(0);
    expect(stalledCounts.every((n) => n === 0)).toBe(true);
    expect(await h.flinkState(STALLED)).toBe('RUNNING');
    await h.flink.cancel(STALLED);
  }, 240_000);
});

describe('DisposeSavepoint', () => {
  it('removes a savepoint Flink took, and succeeds again once it is gone', async () => {
    const trigger = newFlinkId();
    const take = await h.request(jobId, { kind: 'TriggerSavepoint', flinkJobId: STEADY, triggerId: trigger });
    const taken = await h.next('ActionSucceeded', (e) => e.payload.actionId === take.actionId, 90_000);
    const location = taken.payload.kind === 'DisposeSavepoint' || taken.payload.kind === 'CleanUp' ? undefined : taken.payload.savepoint?.location;
    if (location === undefined) throw new Error('no savepoint location');
    const dir = fileURLToPath(location.replace(/^file:\/(?!\/)/, 'file:///'));
    expect(existsSync(dir)).toBe(true);

    const dispose = await h.request(jobId, { kind: 'DisposeSavepoint', path: location, triggerId: newFlinkId() });
    const disposed = await h.next('ActionSucceeded', (e) => e.payload.actionId === dispose.actionId, 60_000);
    expect(disposed.payload).toEqual({ actionId: dispose.actionId, kind: 'DisposeSavepoint', path: location });
    expect(existsSync(dir)).toBe(false);

    const again = await h.request(jobId, { kind: 'DisposeSavepoint', path: location, triggerId: newFlinkId() });
    expect((await h.next('ActionSucceeded', (e) => e.payload.actionId === again.actionId, 60_000)).payload).toMatchObject({ kind: 'DisposeSavepoint', path: location });
    await h.flink.cancel(STEADY);
  }, 180_000);
});

describe('records out per second', () => {
  it('is reported above 0 while the sources emit, and 0 once they stopped (Flink\'s rate spans 60 s)', async () => {
    const deploy = await h.request(jobId, {
      kind: 'Deploy',
      flinkJobId: QUIET,
      specVersion: 4,
      spec: streamSpec(jobId, { args: ['--mode', 'stream', '--rate', '20', '--print-every', '0', '--stop-emitting-after-ms', '3000'] }),
    });
    await h.next('ActionSucceeded', (e) => e.payload.actionId === deploy.actionId);
    const emitting = await h.next('JobObserved', (e) => e.payload.flinkJobId === QUIET && (e.payload.recordsOutPerSecond ?? 0) > 0, 60_000);
    // A report of 0 after one above 0 (the rate also reads 0 right after the start).
    const quiet = await h.next('JobObserved', (e) => e.payload.flinkJobId === QUIET && e.payload.recordsOutPerSecond === 0 && h.received.indexOf(e) > h.received.indexOf(emitting), 150_000);
    expect(quiet.payload.flinkState).toBe('RUNNING');
    await h.flink.cancel(QUIET);
  }, 240_000);
});
