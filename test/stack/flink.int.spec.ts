// The local Flink session cluster over REST with the test job: caller-chosen job ids, stop
// with a savepoint under a caller-chosen trigger id, restore with keyed counters continuing,
// and batch and fail modes ending FINISHED and FAILED.
import { FLINK_KEY_SUPPORT, flinkLineOf, flinkSubmission, keysUnreadBy, validateSpec } from '@fjc/contracts';
import { FlinkProgramError } from '@fjc/flink-client';
import { eventually, newFlinkId, stackEnv, stackFlinkClient, stackStatement, testJobCounters } from '@fjc/testing';

describe('Flink (local stack) over REST', () => {
  const flink = stackFlinkClient();
  let jarId: string;
  const started: string[] = [];

  beforeAll(async () => {
    jarId = await flink.uploadJar(stackEnv('FJC_TEST_JOB_JAR'));
  });
  afterAll(async () => {
    for (const id of started) await flink.cancel(id).catch(() => undefined);
    await flink.close();
  });

  async function run(args: string[], extra: { savepointPath?: string } = {}): Promise<string> {
    const jobId = newFlinkId();
    started.push(jobId);
    const result = await flink.runJar(jarId, { jobId, programArgsList: args, parallelism: 1, ...extra });
    expect(result).toEqual({ ok: true, jobId });
    return jobId;
  }

  const state = (jobId: string) => flink.job(jobId).then((j) => j?.state);

  const counters = (jobId: string) => testJobCounters(flink, jobId);

  it('reports a TaskManager with free slots, and the Flink version the stack was asked for', async () => {
    const overview = await flink.overview();
    expect(overview.taskmanagers).toBeGreaterThanOrEqual(1);
    const asked = stackStatement('FLINK_VERSION');
    expect(asked).toMatch(/^(1\.20|2\.\d+)\.\d+$/);
    expect(await flink.flinkVersion()).toBe(asked);
    expect(overview['flink-version']).toBe(asked);
  });

  it('says how stale its checkpoint statistics may be: web.refresh-interval (3 s by default), read from GET /config on this Flink line', async () => {
    // The stack sets neither web.refresh-interval nor rest.cache.checkpoint-statistics.timeout.
    expect(await flink.checkpointStatsMaxAgeMs()).toBe(3000);
  });

  it('stops a stream job with a savepoint and restores it with its keyed counters continuing', async () => {
    const first = await run(['--mode', 'stream', '--rate', '50']);
    await eventually('first run RUNNING', () => state(first), (s) => s === 'RUNNING');
    const before = await eventually('counts to build up', () => counters(first), (c) => c.total >= 50);

    const triggerId = newFlinkId();
    expect(await flink.stopWithSavepoint(first, { triggerId })).toBe(triggerId);
    const savepoint = await eventually('savepoint completed', () => flink.savepointStatus(first, triggerId), (s) => s.status !== 'IN_PROGRESS');
    if (savepoint.status !== 'COMPLETED') throw new Error(`savepoint did not complete: ${JSON.stringify(savepoint)}`);
    expect(savepoint.location).toMatch(/savepoint-/);
    await eventually('first run stopped', () => state(first), (s) => s === 'FINISHED');

    const second = await run(['--mode', 'stream', '--rate', '50'], { savepointPath: savepoint.location });
    expect(second).not.toBe(first);
    await eventually('second run RUNNING', () => state(second), (s) => s === 'RUNNING');
    // fjc_records restarts at zero in every run; the total only exceeds it by what was restored.
    const after = await eventually('restored counts', () => counters(second), (c) => c.records > 0 && c.total > c.records);
    expect(after.total - after.records).toBeGreaterThanOrEqual(before.total);

    await flink.cancel(second);
    await eventually('second run cancelled', () => state(second), (s) => s === 'CANCELED');
  });

  it('refuses a second submission under the same job id, as a value', async () => {
    const jobId = await run(['--mode', 'batch', '--records', '10']);
    await eventually('batch FINISHED', () => state(jobId), (s) => s === 'FINISHED');
    const again = await flink.runJar(jarId, { jobId, programArgsList: ['--mode', 'batch', '--records', '10'] });
    expect(again).toMatchObject({ ok: false, code: 'FLINK_DUPLICATE_JOB_ID' });
  });

  it("refuses a program it cannot run with its own words, as FJC_FLINK_PROGRAM_INVALID, on this Flink line", async () => {
    const badClass = await flink.runJar(jarId, { jobId: newFlinkId(), entryClass: 'com.example.DoesNotExist', programArgsList: [] }).catch((e: unknown) => e);
    expect(badClass).toBeInstanceOf(FlinkProgramError);
    expect((badClass as FlinkProgramError).message).toBe("The program's entry point class 'com.example.DoesNotExist' was not found in the jar file.");
    const jobId = newFlinkId();
    started.push(jobId);
    const badArgs = await flink.runJar(jarId, { jobId, programArgsList: ['--mode', 'bogus'] }).catch((e: unknown) => e);
    expect(badArgs).toBeInstanceOf(FlinkProgramError);
    expect((badArgs as FlinkProgramError).message).toContain("unknown mode 'bogus'");
  });

  it('runs batch mode to FINISHED', async () => {
    const jobId = await run(['--mode', 'batch', '--records', '500']);
    await eventually('batch FINISHED', () => state(jobId), (s) => s === 'FINISHED');
  });

  it('runs fail mode to FAILED with its cause', async () => {
    const jobId = await run(['--mode', 'fail', '--records', '20']);
    await eventually('fail FAILED', () => state(jobId), (s) => s === 'FAILED');
    expect(await flink.rootException(jobId)).toMatch(/intentional failure after 20 records/);
  });

  it('honours every checkpoint and restart key of the field-effects table on this Flink line', async () => {
    const checked = validateSpec({
      job_id: 'keys-check',
      job_type: 'stream',
      artifact_path: 'infra/flink-test-job/target/fjc-test-job.jar',
      artifact_signature: `sha256:${'0'.repeat(64)}`,
      // Not last-state: every stream job keeps its checkpoints, so a job Flink loses can start from one.
      deployment: { checkpoint_interval: '7s', restart_strategy: 'fixed-delay', max_restart_attempts: 7, restart_delay: '4s', upgrade_mode: 'savepoint' },
      stream_config: { checkpoint_timeout: '61s', min_pause_between_checkpoints: '3s', max_concurrent_checkpoints: 1 },
    });
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    const submission = flinkSubmission(checked.spec);
    for (const key of Object.keys(submission.flinkConfiguration)) expect(FLINK_KEY_SUPPORT).toHaveProperty([key]);
    expect(keysUnreadBy(await flink.flinkVersion(), submission.flinkConfiguration)).toEqual([]);

    const jobId = newFlinkId();
    started.push(jobId);
    const result = await flink.runJar(jarId, { jobId, programArgsList: ['--mode', 'stream', '--rate', '5'], parallelism: submission.parallelism, flinkConfiguration: submission.flinkConfiguration });
    expect(result).toEqual({ ok: true, jobId });
    const rest = stackEnv('FLINK_REST_URL');
    const json = (path: string) => fetch(`${rest}${path}`).then(async (r) => (r.ok ? ((await r.json()) as Record<string, unknown>) : null));
    const checkpointing = await eventually('checkpoint config', () => json(`/jobs/${jobId}/checkpoints/config`), (c) => c !== null);
    expect(checkpointing).toMatchObject({ interval: 7000, timeout: 61000, min_pause: 3000, max_concurrent: 1, externalization: { enabled: true, delete_on_cancellation: false } });
    const config = await json(`/jobs/${jobId}/config`);
    const restart = (config?.['execution-config'] as { 'restart-strategy': string })['restart-strategy'];
    // Flink 2.x describes the job's own restart strategy; 1.20's REST view describes only one set
    // through the removed RestartStrategies API and reports options like these as the cluster default.
    if (flinkLineOf(await flink.flinkVersion()) === '2.x') expect(restart).toMatch(/fixed delay \(PT4S\)\. #7 restart attempts/);
    else expect(restart).toBe('Cluster level default restart strategy');
    await flink.cancel(jobId);
    await eventually('keys-check job cancelled', () => state(jobId), (s) => s === 'CANCELED');
  });
});
