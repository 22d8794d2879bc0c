// The built deployer against the real stack: ActionRequested envelopes published with a plain
// Kafka client, results and observations read from the public topics, and Flink itself checked.
// One world for the file: the tests run in order on one job's Flink jobs (the slots are shared).
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { eventually, newFlinkId, uniqueSuffix } from '@fjc/testing';
import { DeployerHarness, streamSpec, TEST_JAR, TEST_JAR_SHA } from './testing/deployer-harness';

const h = new DeployerHarness();
const jobId = `dep-${uniqueSuffix()}`;
const [J1, J2, J3] = [newFlinkId(), newFlinkId(), newFlinkId()];

beforeAll(() => h.start(), 90_000);
afterAll(() => h.stop(), 60_000);

/** Reads the job's checkpoint statistics every 250 ms, as observers and consoles do, until the returned stop is called. */
function keepReadingCheckpoints(flinkJobId: string): () => void {
  let reading = true;
  void (async () => {
    while (reading) {
      await h.flink.checkpoints(flinkJobId).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return () => {
    reading = false;
  };
}

/** The complete checkpoints (chk-N with its _metadata) in the directory of a local checkpoint path. */
function completeCheckpointsBeside(path: string): string[] {
  const dir = path.replace(/^file:(\/\/)?/, '').replace(/\/chk-\d+$/, '');
  return readdirSync(dir).filter((n) => /^chk-\d+$/.test(n) && existsSync(join(dir, n, '_metadata')));
}

describe('deployer against Flink', () => {
  let deploy: Awaited<ReturnType<DeployerHarness['request']>>;

  it('Deploy runs the test jar under exactly the chosen Flink job id; without artifact_signature, the event records the digest uploaded', async () => {
    deploy = await h.request(jobId, { kind: 'Deploy', flinkJobId: J1, specVersion: 1, spec: streamSpec(jobId, { artifact_signature: undefined }) });

    const succeeded = await h.next('ActionSucceeded', (e) => e.payload.actionId === deploy.actionId);
    expect(succeeded.payload).toEqual({ actionId: deploy.actionId, kind: 'Deploy', flinkJobId: J1, artifact: { sha256: TEST_JAR_SHA } });
    expect((await h.logged(jobId)).find((e) => e.type === 'ActionSucceeded')?.payload).toMatchObject({ artifact: { sha256: TEST_JAR_SHA } });
    // Linked to the request: same correlation and actor, caused by the ActionRequested.
    expect(succeeded).toMatchObject({ jobId, producer: 'deployer', actor: { kind: 'user', id: 'alice' }, correlationId: deploy.correlationId, causationId: deploy.eventId });

    await h.next('JobObserved', (e) => e.payload.flinkJobId === J1 && e.payload.flinkState === 'RUNNING');
    expect(await h.flinkState(J1)).toBe('RUNNING');
  });

  it('a forged ActionRequested (on the topic, not in the log) is dead-lettered and Flink keeps running the job', async () => {
    const forged = await h.forge(jobId, { kind: 'Cancel', flinkJobId: J1 });
    const letter = await eventually('the forgery dead-lettered', async () => h.deadLetters.find((d) => d.value.includes(forged.eventId)), Boolean, { timeoutMs: 30_000 });
    expect(letter).toMatchObject({ code: 'FJC_DLQ_NOT_IN_LOG', reason: expect.stringContaining('The event is not in the event log'), consumer: expect.stringContaining('deployer') });
    expect(await h.flinkState(J1)).toBe('RUNNING');
    expect((await h.logged(jobId)).filter((e) => e.type.startsWith('Action') && e.payload.actionId !== deploy.actionId)).toEqual([]);
    expect(await h.metrics()).toMatch(/fjc_dead_letters_total\{topic="[^"]*deploy\.actions",code="FJC_DLQ_NOT_IN_LOG",service="deployer"\} 1\b/);
  });

  it('the same ActionRequested again, re-sent or re-published under a new event id, submits nothing', async () => {
    await h.request(jobId, { kind: 'Deploy', flinkJobId: J1, specVersion: 1, spec: streamSpec(jobId) }, deploy, { sameEnvelope: true });
    const republished = await h.request(jobId, { kind: 'Deploy', flinkJobId: J1, specVersion: 1, spec: streamSpec(jobId) }, deploy);
    await eventually('the deployer to consume the re-published request', () => h.consumed(republished.eventId), Boolean, { timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 1000));

    const mine = (await h.logged(jobId)).filter((e) => e.payload.actionId === deploy.actionId);
    expect(mine.map((e) => e.type)).toEqual(['ActionStarted', 'ActionSucceeded']);
    expect(await h.metrics()).toMatch(/fjc_deployer_action_attempts_total\{kind="Deploy",service="deployer"\} 1\b/);
  });

  it('Upgrade in savepoint mode stops the old job with a savepoint and runs the new one from it, counters continued', async () => {
    const before = await eventually('counts of the first run', () => h.counterMetric(J1, 'fjc_total_count'), (n) => n > 0);
    const trigger = newFlinkId();
    const upgrade = await h.request(jobId, {
      kind: 'Upgrade',
      fromFlinkJobId: J1,
      flinkJobId: J2,
      specVersion: 2,
      spec: streamSpec(jobId, { args: ['--mode', 'stream', '--rate', '30', '--print-every', '0'] }),
      upgradeMode: 'savepoint',
      savepointTriggerId: trigger,
    });

    const succeeded = await h.next('ActionSucceeded', (e) => e.payload.actionId === upgrade.actionId);
    expect(succeeded.payload).toMatchObject({ kind: 'Upgrade', flinkJobId: J2, savepoint: { triggerId: trigger, location: expect.stringContaining('savepoint-') } });
    expect(await h.flinkState(J1)).toBe('FINISHED');
    await h.next('JobObserved', (e) => e.payload.flinkJobId === J2 && e.payload.flinkState === 'RUNNING');
    await h.next('JobObserved', (e) => e.payload.flinkJobId === J1 && e.payload.flinkState === 'FINISHED');

    // The restored run starts its total at the savepoint's value: total - records >= what run 1 had counted.
    await eventually(
      'the new run to continue the counts',
      async () => ({ total: await h.counterMetric(J2, 'fjc_total_count'), records: await h.counterMetric(J2, 'fjc_records') }),
      ({ total, records }) => records > 0 && total - records >= before,
      { timeoutMs: 30_000 },
    );
    // A savepoint, a stop and a start under load, then three waits of up to 60 s: more than the config's 120 s.
  }, 180_000);

  it('kill -9 right after ActionStarted of an Upgrade: after restart the upgrade completes once, with one job running', async () => {
    const upgrade = await h.request(jobId, {
      kind: 'Upgrade',
      fromFlinkJobId: J2,
      flinkJobId: J3,
      specVersion: 3,
      spec: streamSpec(jobId, { args: ['--mode', 'stream', '--rate', '40', '--print-every', '0'] }),
      upgradeMode: 'savepoint',
      savepointTriggerId: newFlinkId(),
    });
    await eventually(
      'ActionStarted of the upgrade in the log',
      async () => (await h.logged(jobId)).some((e) => e.type === 'ActionStarted' && e.payload.actionId === upgrade.actionId),
      Boolean,
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    h.deployer.kill9();

    // The restarted consumer waits out the dead member's Kafka session; the executor does not.
    await h.restart(90_000);
    const succeeded = await h.next('ActionSucceeded', (e) => e.payload.actionId === upgrade.actionId, 90_000);
    expect(succeeded.payload).toMatchObject({ kind: 'Upgrade', flinkJobId: J3, savepoint: { location: expect.stringContaining('savepoint-') } });

    const mine = (await h.logged(jobId)).filter((e) => e.payload.actionId === upgrade.actionId);
    expect(mine.map((e) => `${e.type}${e.payload.attempt ?? ''}`)).toEqual(['ActionStarted1', 'ActionStarted2', 'ActionSucceeded']);
    expect(await h.flinkState(J3)).toBe('RUNNING');
    const ours = (await h.flink.listJobs()).filter((j) => [J1, J2, J3].includes(j.jid));
    expect(ours.filter((j) => j.state === 'RUNNING').map((j) => j.jid)).toEqual([J3]);
    expect(ours.filter((j) => j.jid === J3)).toHaveLength(1);
  }, 180_000);

  it('Upgrade in last-state mode starts from the checkpoint the cancel retained, still on disk, though Flink\'s statistics lag behind', async () => {
    // Checkpoints every 200 ms: Flink's REST answers checkpoint statistics from a cache up to
    // 3 s old, so an answer read right after the cancel would name a checkpoint long subsumed.
    const lsJob = `${jobId}-ls`;
    const [L1, L2] = [newFlinkId(), newFlinkId()];
    const spec = (rate: string) => streamSpec(lsJob, { args: ['--mode', 'stream', '--rate', rate, '--print-every', '0'], deployment: { parallelism: 1, upgrade_mode: 'last-state', checkpoint_interval: '200ms' } });
    const deploy = await h.request(lsJob, { kind: 'Deploy', flinkJobId: L1, specVersion: 1, spec: spec('20') });
    await h.next('ActionSucceeded', (e) => e.payload.actionId === deploy.actionId);
    await eventually('ten checkpoints of the first run', () => h.flink.checkpoints(L1), (c) => (c?.latestCompleted?.id ?? 0) >= 10, { timeoutMs: 60_000 });
    const counted = await eventually('counts of the first run', () => h.counterMetric(L1, 'fjc_total_count'), (n) => n > 0);

    // Others (observers, consoles) keep reading the statistics: Flink serves each answer until it
    // is 3 s old, while newer checkpoints subsume the one it names.
    const stopReading = keepReadingCheckpoints(L1);
    const upgrade = await h.request(lsJob, { kind: 'Upgrade', fromFlinkJobId: L1, flinkJobId: L2, specVersion: 2, spec: spec('30'), upgradeMode: 'last-state' });
    const succeeded = await h.next('ActionSucceeded', (e) => e.payload.actionId === upgrade.actionId, 90_000).finally(stopReading);
    expect(succeeded.payload).toMatchObject({ kind: 'Upgrade', flinkJobId: L2, restoredFrom: { kind: 'checkpoint', path: expect.stringMatching(new RegExp(`/${L1}/chk-\\d+$`)) } });
    const restoredFrom = ('restoredFrom' in succeeded.payload ? succeeded.payload.restoredFrom?.path : undefined) ?? '';
    // The checkpoint is on disk, and it is the newest the cancelled job left.
    expect(completeCheckpointsBeside(restoredFrom)).toEqual([basename(restoredFrom)]);
    expect(await h.flinkState(L1)).toBe('CANCELED');
    // The new run restored it: its total starts above its own records, and runs on.
    await h.next('JobObserved', (e) => e.payload.flinkJobId === L2 && e.payload.flinkState === 'RUNNING');
    await eventually(
      'the new run to continue the counts',
      async () => ({ total: await h.counterMetric(L2, 'fjc_total_count'), records: await h.counterMetric(L2, 'fjc_records') }),
      ({ total, records }) => records > 0 && total - records >= counted,
      { timeoutMs: 30_000 },
    );
    expect(await h.flinkState(L2)).toBe('RUNNING');

    // Stopping it without a savepoint (a cancel) reports the checkpoint the cancel retained: on
    // disk, the newest of the run, though others kept reading the statistics meanwhile.
    const stopReadingAgain = keepReadingCheckpoints(L2);
    await eventually('checkpoints of the second run', () => h.flink.checkpoints(L2), (c) => (c?.latestCompleted?.id ?? 0) >= 3, { timeoutMs: 60_000 });
    const stop = await h.request(lsJob, { kind: 'Stop', flinkJobId: L2, withSavepoint: false, drain: false });
    const stopped = await h.next('ActionSucceeded', (e) => e.payload.actionId === stop.actionId, 90_000).finally(stopReadingAgain);
    expect(stopped.payload).toMatchObject({ kind: 'Stop', flinkJobId: L2, retainedCheckpoint: { id: expect.any(Number), path: expect.stringMatching(new RegExp(`/${L2}/chk-\\d+$`)) } });
    const retained = ('retainedCheckpoint' in stopped.payload ? stopped.payload.retainedCheckpoint?.path : undefined) ?? '';
    expect(completeCheckpointsBeside(retained)).toEqual([basename(retained)]);
    expect(await h.flinkState(L2)).toBe('CANCELED');
  }, 240_000);

  it('a jar whose signature does not match fails the Deploy before anything reaches Flink', async () => {
    const J4 = newFlinkId();
    const bad = await h.request(`${jobId}-bad`, {
      kind: 'Deploy',
      flinkJobId: J4,
      specVersion: 1,
      spec: streamSpec(`${jobId}-bad`, { artifact_signature: `sha256:${'0'.repeat(64)}` }),
    });
    const failed = await h.next('ActionFailed', (e) => e.payload.actionId === bad.actionId);
    expect(failed.payload.error).toMatchObject({ code: 'FJC_ARTIFACT_SIGNATURE_MISMATCH', retryable: false });
    // Readers of events learn neither the jar's digest nor its path; the deployer's log has them.
    expect(JSON.stringify(failed.payload)).not.toContain(TEST_JAR_SHA);
    expect(JSON.stringify(failed.payload)).not.toContain(TEST_JAR);
    expect(await h.flinkState(J4)).toBe('NOT_FOUND');
  });

  it('Cancel cancels the running job, and the observer reports it', async () => {
    const cancel = await h.request(jobId, { kind: 'Cancel', flinkJobId: J3 });
    await h.next('ActionSucceeded', (e) => e.payload.actionId === cancel.actionId);
    expect(await h.flinkState(J3)).toBe('CANCELED');
    await h.next('JobObserved', (e) => e.payload.flinkJobId === J3 && e.payload.flinkState === 'CANCELED');
    expect(await h.metrics()).toMatch(/fjc_deployer_actions_total\{kind="Cancel",outcome="succeeded",code="",service="deployer"\} 1\b/);
  });

  it('deletes the jar from the cluster after a batch run when cleanup_on_completion asks for it', async () => {
    // Nothing else of this world may still use the jar, or the cleanup rightly waits.
    for (const id of h.flinkJobs) await h.flink.cancel(id).catch(() => undefined);
    const J5 = newFlinkId();
    const batchJob = `${jobId}-batch`;
    const spec = streamSpec(batchJob, {
      job_type: 'batch',
      args: ['--mode', 'batch', '--records', '100'],
      deployment: { parallelism: 1, upgrade_mode: 'stateless' },
      batch_config: { cleanup_on_completion: true },
    });
    const deploy = await h.request(batchJob, { kind: 'Deploy', flinkJobId: J5, specVersion: 1, spec });
    await h.next('ActionSucceeded', (e) => e.payload.actionId === deploy.actionId);
    await h.next('JobObserved', (e) => e.payload.flinkJobId === J5 && e.payload.flinkState === 'FINISHED');
    const jar = await eventually('the jar cleaned up', () => h.jarOf(J5), (j) => j.cleaned, { timeoutMs: 60_000 });
    expect(jar.jarId).not.toBeNull();
    expect(await h.flink.listJars()).not.toContain(jar.jarId);
  });

  it('CleanUp deletes the jar of ended runs once nothing else uses it, and prunes the runs\' records but its own', async () => {
    for (const id of h.flinkJobs) await h.flink.cancel(id).catch(() => undefined);
    const batchJob = `${jobId}-runs`;
    const spec = streamSpec(batchJob, {
      job_type: 'batch',
      args: ['--mode', 'batch', '--records', '50'],
      deployment: { parallelism: 1, upgrade_mode: 'stateless' },
      batch_config: { cron: '0 0 * * *', max_runs: 2 },
    });
    const runs = [newFlinkId(), newFlinkId()];
    for (const run of runs) {
      const deploy = await h.request(batchJob, { kind: 'Deploy', flinkJobId: run, specVersion: 1, spec });
      await h.next('ActionSucceeded', (e) => e.payload.actionId === deploy.actionId);
      await h.next('JobObserved', (e) => e.payload.flinkJobId === run && e.payload.flinkState === 'FINISHED');
    }
    const { jarId } = await h.jarOf(runs[0]);
    expect(jarId).not.toBeNull();

    // A stream job of another FJC job runs from the same jar: the jar stays, the run's records go.
    const streamJob = `${jobId}-beside`;
    const S = newFlinkId();
    const stream = await h.request(streamJob, { kind: 'Deploy', flinkJobId: S, specVersion: 1, spec: streamSpec(streamJob) });
    await h.next('ActionSucceeded', (e) => e.payload.actionId === stream.actionId);
    expect((await h.jarOf(S)).jarId).toBe(jarId);
    const kept = await h.request(batchJob, { kind: 'CleanUp', flinkJobIds: [runs[0]], reason: 'max_runs' });
    const keptResult = await h.next('ActionSucceeded', (e) => e.payload.actionId === kept.actionId);
    expect(keptResult.payload).toEqual({ actionId: kept.actionId, kind: 'CleanUp', jarsDeleted: 0, runsPruned: 1 });
    expect(await h.flink.listJars()).toContain(jarId);
    expect(await h.records(runs[0])).toEqual({ jobs: 0, actions: 0 });
    expect(await h.records(runs[1])).toEqual({ jobs: 1, actions: 1 });

    // Once the stream job has ended, the next CleanUp deletes the jar; its own row stays.
    await h.flink.cancel(S);
    await h.next('JobObserved', (e) => e.payload.flinkJobId === S && e.payload.flinkState === 'CANCELED');
    const cleaned = await h.request(batchJob, { kind: 'CleanUp', flinkJobIds: [runs[1]], reason: 'max_runs' });
    const result = await h.next('ActionSucceeded', (e) => e.payload.actionId === cleaned.actionId);
    expect(result.payload).toEqual({ actionId: cleaned.actionId, kind: 'CleanUp', jarsDeleted: 1, runsPruned: 1 });
    expect(await h.flink.listJars()).not.toContain(jarId);
    expect(await h.records(runs[1])).toEqual({ jobs: 0, actions: 0 });
    expect(await h.records(S)).toEqual({ jobs: 1, actions: 1 });
    expect(await h.actionStatus(cleaned.actionId)).toBe('succeeded');
    // Intent before effect: recorded as started before Flink was called.
    const mine = (await h.logged(batchJob)).filter((e) => e.payload.actionId === cleaned.actionId);
    expect(mine.map((e) => e.type)).toEqual(['ActionStarted', 'ActionSucceeded']);
    expect(await h.metrics()).toMatch(/fjc_deployer_actions_total\{kind="CleanUp",outcome="succeeded",code="",service="deployer"\} 2\b/);
  });
});
