import { carryOut } from './carry-out';
import { fixture, SHA, testSpec } from '../../testing/carry-out-fixture';
import { FakeFlink } from '../../testing/fake-flink';
import type { CheckpointSummary } from '../../flink/flink-port';
import type { DeployerAction } from '@fjc/contracts';

const OLD = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const NEW = '0f9e8d7c6b5a49382716f5e4d3c2b1a0';
const TRIGGER = '00112233445566778899aabbccddeeff';

const deployAction = (extra: Partial<Extract<DeployerAction, { kind: 'Deploy' }>> = {}): DeployerAction => ({
  kind: 'Deploy',
  flinkJobId: NEW,
  specVersion: 1,
  spec: testSpec({ deployment: { parallelism: 2 }, args: ['--rate', '5'] }),
  ...extra,
});

const upgradeAction = (mode: 'savepoint' | 'stateless' | 'last-state' = 'savepoint'): DeployerAction => ({
  kind: 'Upgrade',
  fromFlinkJobId: OLD,
  flinkJobId: NEW,
  specVersion: 2,
  spec: testSpec(),
  upgradeMode: mode,
  ...(mode === 'savepoint' ? { savepointTriggerId: TRIGGER } : {}),
});

describe('Deploy', () => {
  it('submits under the chosen id with exactly the run request flinkSubmission makes', async () => {
    const f = fixture();
    const outcome = await carryOut(f.ctx, deployAction({ restoreFrom: { kind: 'savepoint', path: 'file:/sp/1' } }));
    expect(outcome).toEqual({ ok: true, flinkJobId: NEW, restoredFrom: { kind: 'savepoint', path: 'file:/sp/1' } });
    const req = f.flink.jobs.get(NEW)?.request;
    expect(req).toMatchObject({ jobId: NEW, parallelism: 2, entryClass: 'dev.fjc.testjob.TestJob', programArgsList: ['--rate', '5'], savepointPath: 'file:/sp/1', allowNonRestoredState: false });
    expect(req?.flinkConfiguration).toMatchObject({ 'execution.runtime-mode': 'STREAMING' });
  });

  it('records the jar it runs from before calling runJar, so a resumed attempt knows which jar the job uses', async () => {
    const f = fixture();
    await carryOut(f.ctx, deployAction());
    expect(f.jarsRecorded).toEqual([{ jar: { jarId: 'jar-1', sha256: SHA }, runsBefore: 0 }]);
  });

  it('on a later attempt asks Flink first and does not submit a job Flink already has', async () => {
    const f = fixture({ attempt: 2, flink: new FakeFlink().withJob(NEW) });
    expect(await carryOut(f.ctx, deployAction())).toEqual({ ok: true, flinkJobId: NEW });
    expect(f.flink.count('runJar')).toBe(0);
  });

  it('takes a duplicate job id whose job Flink shows as an earlier submission', async () => {
    const f = fixture({ flink: new FakeFlink().withJob(NEW) });
    expect(await carryOut(f.ctx, deployAction())).toEqual({ ok: true, flinkJobId: NEW });
    expect(f.flink.count('runJar')).toBe(1);
  });

  it('uploads the jar again when Flink has lost it, then runs once more', async () => {
    const f = fixture();
    f.flink.jars.add('jar-lost');
    const ctx = { ...f.ctx, jars: { ensureJar: async (_s: unknown, _c: unknown, _f: unknown, o: { reupload: boolean }) => ({ ok: true as const, jarId: o.reupload ? await f.flink.uploadJar('x.jar', 'x.jar') : 'jar-gone', sha256: SHA }) } };
    expect(await carryOut(ctx, deployAction())).toEqual({ ok: true, flinkJobId: NEW });
    expect(f.flink.count('uploadJar')).toBe(1);
    expect(f.flink.count('runJar')).toBe(2);
    // The jar the job finally runs from is the last one recorded.
    expect(f.jarsRecorded.map((r) => r.jar.jarId)).toEqual(['jar-gone', 'jar-1']);
  });

  it('passes an artifact failure through untouched', async () => {
    const f = fixture({
      jars: { ensureJar: async () => ({ ok: false, code: 'FJC_ARTIFACT_SIGNATURE_MISMATCH', message: 'differs', retryable: false }) },
    });
    expect(await carryOut(f.ctx, deployAction())).toEqual({ ok: false, code: 'FJC_ARTIFACT_SIGNATURE_MISMATCH', message: 'differs', retryable: false });
    expect(f.flink.count('runJar')).toBe(0);
  });

  it('rides out a short Flink blip, and fails retryable when Flink stays away', async () => {
    const blip = fixture({ flink: new FakeFlink().unavailable('runJar', 2) });
    expect(await carryOut(blip.ctx, deployAction())).toEqual({ ok: true, flinkJobId: NEW });

    const down = fixture({ flink: new FakeFlink().unavailable('runJar') });
    expect(await carryOut(down.ctx, deployAction())).toMatchObject({ ok: false, code: 'FJC_FLINK_UNREACHABLE', retryable: true });
  });
});

describe('Upgrade', () => {
  it('savepoint mode: stops the old job with the action\'s trigger id and starts the new one from the savepoint', async () => {
    const f = fixture({ flink: new FakeFlink().withJob(OLD) });
    const outcome = await carryOut(f.ctx, upgradeAction());
    const location = `file:/savepoints/savepoint-${OLD.slice(0, 6)}-${TRIGGER.slice(0, 6)}`;
    expect(outcome).toEqual({ ok: true, flinkJobId: NEW, savepoint: { triggerId: TRIGGER, location } });
    expect(f.flink.calls).toContain(`stopWithSavepoint ${OLD} ${TRIGGER}`);
    expect(f.flink.jobs.get(OLD)?.state).toBe('FINISHED');
    expect(f.flink.jobs.get(NEW)?.request.savepointPath).toBe(location);
    expect(f.savepoints).toEqual([expect.objectContaining({ flinkJobId: OLD, triggerId: TRIGGER, status: 'COMPLETED', location })]);
  });

  it('resumed while the savepoint is in progress: waits for it without triggering again', async () => {
    const flink = new FakeFlink().withJob(OLD);
    await flink.stopWithSavepoint(OLD, { triggerId: TRIGGER });
    flink.savepointPolls = 0;
    const f = fixture({ attempt: 2, flink });
    expect(await carryOut(f.ctx, upgradeAction())).toMatchObject({ ok: true, flinkJobId: NEW });
    expect(f.flink.count('stopWithSavepoint')).toBe(1);
    expect(f.flink.count('runJar')).toBe(1);
  });

  it('resumed after the new job was submitted: succeeds without touching Flink again, reporting the recorded savepoint', async () => {
    const f = fixture({ attempt: 2, recordedSavepoint: 'file:/sp/recorded', flink: new FakeFlink().withJob(OLD, 'FINISHED').withJob(NEW) });
    expect(await carryOut(f.ctx, upgradeAction())).toEqual({ ok: true, flinkJobId: NEW, savepoint: { triggerId: TRIGGER, location: 'file:/sp/recorded' } });
    expect(f.flink.count('runJar') + f.flink.count('stopWithSavepoint')).toBe(0);
  });

  it('resumed after Flink forgot the stop\'s status: takes the FINISHED job\'s latest savepoint', async () => {
    const flink = new FakeFlink().withJob(OLD, 'FINISHED', { latestSavepoint: { id: 3, externalPath: 'file:/sp/archived' } });
    const f = fixture({ attempt: 2, flink });
    expect(await carryOut(f.ctx, upgradeAction())).toMatchObject({ ok: true, savepoint: { location: 'file:/sp/archived' } });
    expect(flink.jobs.get(NEW)?.request.savepointPath).toBe('file:/sp/archived');
  });

  it('a failed savepoint fails the upgrade, leaves the old job running and reports the failure', async () => {
    const flink = new FakeFlink().withJob(OLD);
    flink.nextSavepointFails = true;
    const f = fixture({ flink });
    expect(await carryOut(f.ctx, upgradeAction())).toMatchObject({ ok: false, code: 'FJC_SAVEPOINT_FAILED', retryable: true });
    expect(flink.jobs.get(OLD)?.state).toBe('RUNNING');
    expect(flink.count('runJar')).toBe(0);
    expect(f.savepoints).toEqual([expect.objectContaining({ status: 'FAILED' })]);
  });

  it('gives up on a savepoint that outlasts the timeout', async () => {
    const flink = new FakeFlink().withJob(OLD);
    flink.savepointPolls = 1_000;
    const f = fixture({ flink });
    expect(await carryOut(f.ctx, upgradeAction())).toMatchObject({ ok: false, code: 'FJC_ACTION_TIMEOUT', retryable: true });
    expect(f.now() - Date.parse('2025-06-01T00:00:00Z')).toBeGreaterThanOrEqual(60_000);
  });

  it('stateless mode: cancels and starts fresh', async () => {
    const f = fixture({ flink: new FakeFlink().withJob(OLD) });
    expect(await carryOut(f.ctx, upgradeAction('stateless'))).toEqual({ ok: true, flinkJobId: NEW });
    expect(f.flink.jobs.get(OLD)?.state).toBe('CANCELED');
    expect(f.flink.jobs.get(NEW)?.request.savepointPath).toBeUndefined();
  });

  it('last-state mode: starts from the newest retained checkpoint', async () => {
    const flink = new FakeFlink().withJob(OLD, 'RUNNING', {
      latestCompleted: { id: 12, externalPath: 'file:/chk/12' },
      latestSavepoint: { id: 7, externalPath: 'file:/sp/7' },
    });
    const f = fixture({ flink });
    expect(await carryOut(f.ctx, upgradeAction('last-state'))).toEqual({
      ok: true,
      flinkJobId: NEW,
      restoredFrom: { kind: 'checkpoint', path: 'file:/chk/12' },
      // Flink did not say when 12 completed: the time it was read.
      retainedCheckpoint: { id: 12, path: 'file:/chk/12', completedAt: '2025-06-01T00:00:03.000Z' },
    });
    expect(flink.jobs.get(NEW)?.request.savepointPath).toBe('file:/chk/12');
  });

  it('last-state mode: a savepoint newer than every checkpoint is the state it starts from, and says so', async () => {
    const flink = new FakeFlink().withJob(OLD, 'RUNNING', {
      latestCompleted: { id: 12, externalPath: 'file:/chk/12' },
      latestSavepoint: { id: 14, externalPath: 'file:/sp/14' },
    });
    const f = fixture({ flink });
    expect(await carryOut(f.ctx, upgradeAction('last-state'))).toMatchObject({ ok: true, flinkJobId: NEW, restoredFrom: { kind: 'savepoint', path: 'file:/sp/14' }, retainedCheckpoint: { id: 12 } });
    expect(flink.jobs.get(NEW)?.request.savepointPath).toBe('file:/sp/14');
  });

  it('last-state mode: restores from the checkpoint the cancel retained, read only once Flink\'s cached statistics postdate the cancel', async () => {
    const { flink, f } = laggingStatistics();
    expect(await carryOut(f.ctx, upgradeAction('last-state'))).toEqual({
      ok: true,
      flinkJobId: NEW,
      restoredFrom: { kind: 'checkpoint', path: 'file:/chk/13' },
      retainedCheckpoint: { id: 13, path: 'file:/chk/13', completedAt: '2025-06-01T00:00:00.000Z' },
    });
    expect(flink.jobs.get(NEW)?.request.savepointPath).toBe('file:/chk/13');
  });

  it('last-state mode without a retained checkpoint: refused before anything is cancelled, never stateless', async () => {
    const flink = new FakeFlink().withJob(OLD, 'RUNNING', { latestCompleted: { id: 3 } });
    const f = fixture({ flink });
    expect(await carryOut(f.ctx, upgradeAction('last-state'))).toMatchObject({ ok: false, code: 'FJC_STATE_NOT_FOUND', retryable: false });
    expect(flink.jobs.get(OLD)?.state).toBe('RUNNING');
    expect(flink.count('runJar')).toBe(0);
  });
});

/**
 * A running OLD job with checkpoint 12 on a fake Flink whose statistics lag like the real one's
 * (one answer is served for checkpointStatsMaxAge after it was computed), where checkpoint 13
 * completes while the job is cancelled and subsumes (deletes) 12.
 */
function laggingStatistics() {
  const flink = new FakeFlink().withJob(OLD, 'RUNNING', { latestCompleted: { id: 12, externalPath: 'file:/chk/12', completedAt: Date.parse('2025-05-31T23:59:58Z') } });
  let cached: { at: number; summary: CheckpointSummary | null } | undefined;
  const fresh = flink.checkpoints.bind(flink);
  flink.checkpoints = async (jobId) => {
    if (cached === undefined || f.now() - cached.at >= flink.checkpointStatsMaxAge) cached = { at: f.now(), summary: await fresh(jobId) };
    return cached.summary;
  };
  const cancel = flink.cancel.bind(flink);
  flink.cancel = async (jobId) => {
    const job = flink.jobs.get(jobId);
    if (job) job.checkpoints = { latestCompleted: { id: 13, externalPath: 'file:/chk/13', completedAt: Date.parse('2025-06-01T00:00:00Z') } };
    return cancel(jobId);
  };
  const f = fixture({ flink });
  return { flink, f };
}

describe('Stop, Cancel, TriggerSavepoint', () => {
  it('Stop with savepoint returns the savepoint once the job is terminal', async () => {
    const f = fixture({ flink: new FakeFlink().withJob(OLD) });
    const outcome = await carryOut(f.ctx, { kind: 'Stop', flinkJobId: OLD, withSavepoint: true, triggerId: TRIGGER, drain: false });
    expect(outcome).toMatchObject({ ok: true, flinkJobId: OLD, savepoint: { triggerId: TRIGGER } });
    expect(f.flink.jobs.get(OLD)?.state).toBe('FINISHED');
  });

  it('Stop with savepoint of a job Flink does not know fails as not found', async () => {
    const f = fixture();
    expect(await carryOut(f.ctx, { kind: 'Stop', flinkJobId: OLD, withSavepoint: true, triggerId: TRIGGER, drain: false })).toMatchObject({
      ok: false,
      code: 'FJC_FLINK_JOB_NOT_FOUND',
      retryable: false,
    });
  });

  it('Stop without savepoint cancels', async () => {
    const f = fixture({ flink: new FakeFlink().withJob(OLD) });
    expect(await carryOut(f.ctx, { kind: 'Stop', flinkJobId: OLD, withSavepoint: false, drain: false })).toEqual({ ok: true, flinkJobId: OLD });
    expect(f.flink.jobs.get(OLD)?.state).toBe('CANCELED');
  });

  it.each([
    ['unknown to Flink', new FakeFlink()],
    ['already finished', new FakeFlink().withJob(OLD, 'FINISHED')],
    ['running', new FakeFlink().withJob(OLD)],
  ])('Cancel of a job %s without checkpoints succeeds at once', async (_name, flink) => {
    const f = fixture({ flink });
    const started = f.now();
    expect(await carryOut(f.ctx, { kind: 'Cancel', flinkJobId: OLD })).toEqual({ ok: true, flinkJobId: OLD });
    expect(f.now()).toBe(started);
  });

  it('Cancel of a checkpointing job that nothing starts from again (a delete) does not wait for the statistics', async () => {
    const { f } = laggingStatistics();
    const started = f.now();
    expect(await carryOut(f.ctx, { kind: 'Cancel', flinkJobId: OLD })).toEqual({ ok: true, flinkJobId: OLD });
    expect(f.now()).toBe(started);
  });

  it.each([
    ['Cancel with keepState', { kind: 'Cancel', flinkJobId: OLD, keepState: true }],
    ['Stop without savepoint', { kind: 'Stop', flinkJobId: OLD, withSavepoint: false, drain: false }],
  ] as const)('%s of a checkpointing job reports the checkpoint it retained, read once Flink\'s cached statistics postdate the end', async (_name, action) => {
    const { flink, f } = laggingStatistics();
    expect(await carryOut(f.ctx, action)).toEqual({ ok: true, flinkJobId: OLD, retainedCheckpoint: { id: 13, path: 'file:/chk/13', completedAt: '2025-06-01T00:00:00.000Z' } });
    expect(flink.jobs.get(OLD)?.state).toBe('CANCELED');
  });

  it('TriggerSavepoint leaves the job running', async () => {
    const f = fixture({ flink: new FakeFlink().withJob(OLD) });
    expect(await carryOut(f.ctx, { kind: 'TriggerSavepoint', flinkJobId: OLD, triggerId: TRIGGER })).toMatchObject({ ok: true, savepoint: { triggerId: TRIGGER } });
    expect(f.flink.jobs.get(OLD)?.state).toBe('RUNNING');
    expect(f.flink.count('triggerSavepoint')).toBe(1);
  });
});

describe('DisposeSavepoint', () => {
  const path = 'file:/savepoints/savepoint-a1b2c3-0123456789ab';

  it('disposes of the savepoint through Flink', async () => {
    const f = fixture();
    f.flink.savepointFiles.add(path);
    expect(await carryOut(f.ctx, { kind: 'DisposeSavepoint', path, triggerId: TRIGGER })).toEqual({ ok: true, disposedPath: path });
    expect(f.flink.savepointFiles.has(path)).toBe(false);
  });

  it('takes a savepoint already gone as disposed, so a retried disposal succeeds', async () => {
    const f = fixture();
    expect(await carryOut(f.ctx, { kind: 'DisposeSavepoint', path, triggerId: TRIGGER })).toEqual({ ok: true, disposedPath: path });
    expect(f.flink.count('disposeSavepoint')).toBe(1);
  });
});
