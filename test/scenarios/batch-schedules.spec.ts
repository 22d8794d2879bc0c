// Scheduled batch runs against the real Flink, on seconds-granularity cron: concurrency_policy
// forbid skips a tick while the previous run goes on, replace cancels it in Flink and starts
// the new one; and the time zone decides which runs happen (the same cron runs in one zone and
// not in another); a scheduled run whose Flink job FAILED is started again per batch_config.retry
// and, its attempts used, the job ends FAILED with the run's error code. Once a job's max_runs
// have run, the jar of its runs is deleted from Flink and the deployer's records of them pruned,
// and the tables rebuilt from the log still equal the live ones.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, TEST_JOB_DIR, uniqueSuffix } from '@fjc/testing';
import { Recovery } from '../support/recovery';
import { exampleSpec, FjcSystem } from '../support/system';

/** A run that goes on far longer than the test: 5 records a second of 100 million. */
const LONG_RUN = ['--mode', 'batch', '--records', '100000000', '--rate', '5'];
/** Still going in Flink (it may wait for a slot the scenarios running beside this one hold). */
const GOING = new Set(['CREATED', 'INITIALIZING', 'RUNNING', 'RESTARTING']);

describe('scheduled batch runs in Flink', () => {
  let fjc: FjcSystem;
  const started: string[] = [];

  beforeAll(async () => {
    fjc = await FjcSystem.start({ schedulers: 1 });
  });
  afterAll(async () => {
    // Leave no run holding one of the test Flink's slots.
    for (const jobId of started) await fjc?.request('DELETE', `/jobs/${jobId}`).catch(() => undefined);
    for (const jobId of started) await fjc?.waitForState(jobId, (j) => j.state === 'DELETED', 'DELETED').catch(() => undefined);
    await fjc?.stop();
  });

  async function apply(prefix: string, batchConfig: Record<string, unknown>, args = LONG_RUN): Promise<string> {
    const jobId = `${prefix}-${uniqueSuffix()}`;
    const spec = exampleSpec('batch-cron.yaml', jobId, (s) => {
      s.args = args;
      s.batch_config = batchConfig;
    });
    expect((await fjc.request('PUT', `/jobs/${jobId}`, spec)).status).toBe(201);
    started.push(jobId);
    return jobId;
  }

  /** Deletes the job and waits until Flink runs nothing of it: the test Flink's slots are shared. */
  async function remove(jobId: string): Promise<void> {
    expect((await fjc.request('DELETE', `/jobs/${jobId}`)).status).toBe(202);
    await fjc.waitForState(jobId, (j) => j.state === 'DELETED', 'DELETED');
    await eventually('its runs ended in Flink', () => fjc.runningInFlink(jobId), (ids) => ids.length === 0, { timeoutMs: 30_000, intervalMs: 1000 });
  }

  const eventsOf = async (jobId: string, type: string) => (await fjc.events(jobId)).filter((e) => e.type === type);
  const flinkStates = async (jobId: string) => Promise.all((await fjc.flinkJobIds(jobId)).map(async (id) => ({ id, state: (await fjc.flink.job(id))?.state })));

  it('forbid: a tick while the previous run still goes is skipped, and Flink runs only the first', async () => {
    const jobId = await apply('forbid', { cron: '*/6 * * * * *', max_runs: 2, concurrency_policy: 'forbid' });
    const skipped = await eventually('the second tick skipped', () => eventsOf(jobId, 'TickSkipped'), (e) => e.length >= 1, { timeoutMs: 60_000, intervalMs: 1000 });
    expect(skipped.map((e) => e.payload)).toEqual([expect.objectContaining({ runNumber: 2, reason: 'forbid' })]);
    const runs = await flinkStates(jobId);
    expect(runs).toHaveLength(1);
    expect(GOING.has(String(runs[0].state))).toBe(true);
    expect((await eventsOf(jobId, 'ScheduleTick')).map((t) => t.payload.runNumber)).toEqual([1, 2]);
    await remove(jobId);
  }, 120_000);

  it('replace: the next tick cancels the running run in Flink and starts a new one', async () => {
    const jobId = await apply('replace', { cron: '*/6 * * * * *', max_runs: 2, concurrency_policy: 'replace' });
    const runs = await eventually('run 2 replaced run 1', () => flinkStates(jobId), (r) => r.length === 2 && r[0].state === 'CANCELED' && GOING.has(String(r[1].state)), { timeoutMs: 60_000, intervalMs: 1000 });
    const requested = (await eventsOf(jobId, 'ActionRequested')).map((e) => ({ kind: e.payload.action?.kind, flinkJobId: e.payload.action?.flinkJobId }));
    expect(requested).toEqual([
      { kind: 'Deploy', flinkJobId: runs[0].id },
      { kind: 'Cancel', flinkJobId: runs[0].id },
      { kind: 'Deploy', flinkJobId: runs[1].id },
    ]);
    expect(await eventsOf(jobId, 'TickSkipped')).toEqual([]);
    await remove(jobId);
  }, 120_000);

  it('retry: a scheduled run that FAILED in Flink is started again after backoff_seconds, then the job ends FAILED', async () => {
    // A bounded (BATCH-mode) run that throws on its 11th record: every attempt FAILS in Flink.
    const failing = ['--mode', 'batch', '--records', '200', '--fail-after-records', '10'];
    const jobId = await apply('retry', { cron: '*/3 * * * * *', max_runs: 1, retry: { max_attempts: 2, backoff_seconds: 4 } }, failing);
    const runs = await eventually('both attempts FAILED in Flink', () => flinkStates(jobId), (r) => r.length === 2 && r.every((x) => x.state === 'FAILED'), { timeoutMs: 60_000, intervalMs: 1000 });
    const failed = await fjc.waitForState(jobId, (j) => j.state === 'FAILED', 'FAILED after its attempts');
    expect(failed.lastError?.code).toBe('FJC_FLINK_JOB_FAILED');
    expect(failed.lastError?.message).toMatch(/intentional failure after 10 records/);

    const retried = await eventsOf(jobId, 'BatchRunRetried');
    expect(retried.map((e) => e.payload)).toEqual([
      expect.objectContaining({ runNumber: 1, failedFlinkJobId: runs[0].id, attempt: 2, maxAttempts: 2, error: expect.objectContaining({ code: 'FJC_FLINK_JOB_FAILED' }) }),
    ]);
    // The back-off: the retry's Deploy was requested no earlier than retryAt, 4 s after the failure was seen.
    const retryAt = Date.parse(String(retried[0].payload.retryAt));
    expect(Math.abs(retryAt - Date.parse(retried[0].occurredAt) - 4_000)).toBeLessThan(1_000);
    const deploys = (await eventsOf(jobId, 'ActionRequested')).filter((e) => e.payload.action?.kind === 'Deploy');
    expect(deploys.map((e) => e.payload.action?.flinkJobId)).toEqual([runs[0].id, runs[1].id]);
    expect(Date.parse(deploys[1].occurredAt)).toBeGreaterThanOrEqual(retryAt);
    // One scheduled run, two attempts: no further tick, no third attempt.
    expect((await eventsOf(jobId, 'ScheduleTick')).map((t) => t.payload.runNumber)).toEqual([1]);
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await fjc.flinkJobIds(jobId)).toHaveLength(2);
  }, 120_000);

  it('the time zone decides which runs happen: the same cron runs in Asia/Kolkata and not in UTC', async () => {
    // Every 3 seconds during the current hour and the next one, read as Kolkata wall-clock hours
    // (UTC+5:30): never the current or next hour in UTC.
    const kolkataHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
    const cron = `*/3 * ${kolkataHour},${(kolkataHour + 1) % 24} * * *`;
    const quick = ['--mode', 'batch', '--records', '50'];
    const inZone = await apply('zone-kolkata', { cron, timezone: 'Asia/Kolkata', max_runs: 1 }, quick);
    const inUtc = await apply('zone-utc', { cron, timezone: 'UTC', max_runs: 1 }, quick);

    await fjc.waitForState(inZone, (j) => j.state === 'FINISHED', 'its run FINISHED');
    const [tick] = await eventsOf(inZone, 'ScheduleTick');
    expect(tick.payload).toMatchObject({ cron, timezone: 'Asia/Kolkata', runNumber: 1 });
    const localHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', hour: '2-digit', hourCycle: 'h23' }).format(new Date(String(tick.payload.scheduledTime))));
    expect([kolkataHour, (kolkataHour + 1) % 24]).toContain(localHour);
    expect((await flinkStates(inZone)).map((r) => r.state)).toEqual(['FINISHED']);

    // Several of its 3-second times have passed by now: in UTC none of them is due.
    await new Promise((r) => setTimeout(r, 7_000));
    expect(await eventsOf(inUtc, 'ScheduleTick')).toEqual([]);
    expect(await fjc.flinkJobIds(inUtc)).toEqual([]);
    expect((await fjc.job(inUtc)).state).toBe('SCHEDULED');
  }, 120_000);
});

/**
 * The test job's jar with a zip comment of its own, written into the artifact root: the same
 * classes in other bytes (its own SHA-256), so no other job shares its upload to Flink.
 */
function ownJar(name: string): { file: string; name: string; sha256: string } {
  const jar = readFileSync(join(TEST_JOB_DIR, 'fjc-test-job.jar'));
  // A jar written without a comment ends in its 22-byte end of central directory record, whose
  // last field is the comment's length.
  const end = jar.length - 22;
  if (jar.readUInt32LE(end) !== 0x06054b50 || jar.readUInt16LE(end + 20) !== 0) throw new Error('the test jar does not end in an end of central directory record without a comment');
  const comment = Buffer.from(`fjc scenario ${name}`, 'utf8');
  const copy = Buffer.concat([jar, comment]);
  copy.writeUInt16LE(comment.length, end + 20);
  const file = join(TEST_JOB_DIR, `${name}.jar`);
  writeFileSync(file, copy);
  return { file, name: `${name}.jar`, sha256: createHash('sha256').update(copy).digest('hex') };
}

describe('a cron batch job at its max_runs', () => {
  let fjc: FjcSystem;
  const jar = ownJar(`maxruns-${uniqueSuffix()}`);

  beforeAll(async () => {
    fjc = await FjcSystem.start({ schedulers: 1 });
  });
  afterAll(async () => {
    await fjc?.stop();
    rmSync(jar.file, { force: true });
  });

  it('after its last run, its jar is deleted from Flink and the deployer\'s records of its runs are pruned; it shows FINISHED', async () => {
    const jobId = `maxruns-${uniqueSuffix()}`;
    const spec = exampleSpec('batch-cron.yaml', jobId, (s) => {
      s.artifact_path = jar.name;
      s.artifact_signature = `sha256:${jar.sha256}`;
      s.args = ['--mode', 'batch', '--records', '50'];
      // allow: a run still going at the next tick (it may wait for a slot) does not skip it.
      s.batch_config = { cron: '*/3 * * * * *', max_runs: 2, concurrency_policy: 'allow' };
    });
    expect((await fjc.request('PUT', `/jobs/${jobId}`, spec)).status).toBe(201);
    const uploaded = async () => (await fjc.flink.listJarFiles()).filter((f) => f.name === `fjc-${jar.sha256}.jar`);
    // Flink takes the jar with its comment, and runs it.
    await eventually('the jar uploaded to Flink', uploaded, (jars) => jars.length === 1, { timeoutMs: 30_000, intervalMs: 250 });
    const states = async () => Promise.all((await fjc.flinkJobIds(jobId)).map(async (id) => ({ id, state: (await fjc.flink.job(id))?.state })));
    const runs = await eventually('two runs FINISHED in Flink', states, (r) => r.length === 2 && r.every((x) => x.state === 'FINISHED'), { timeoutMs: 45_000, intervalMs: 500 });
    const ids = runs.map((r) => r.id);

    const cleanUp = await eventually(
      'the CleanUp requested and succeeded',
      async () => {
        const events = await fjc.events(jobId);
        const requested = events.find((e) => e.type === 'ActionRequested' && e.payload.action?.kind === 'CleanUp');
        const succeeded = events.find((e) => e.type === 'ActionSucceeded' && requested !== undefined && e.payload.actionId === requested.payload.actionId);
        return { requested, succeeded, events };
      },
      (c) => c.succeeded !== undefined,
      { timeoutMs: 20_000, intervalMs: 500 },
    );
    expect(cleanUp.requested?.payload.action).toEqual({ kind: 'CleanUp', flinkJobIds: ids, reason: 'max_runs' });
    expect(cleanUp.requested?.actor).toEqual({ kind: 'service', id: 'reconciler' });
    expect(cleanUp.succeeded?.payload).toEqual({ actionId: cleanUp.requested?.payload.actionId, kind: 'CleanUp', jarsDeleted: 1, runsPruned: 2 });
    // Intent before effect: started before Flink was called; asked for once.
    const ofCleanUp = cleanUp.events.filter((e) => e.payload.actionId === cleanUp.requested?.payload.actionId).map((e) => e.type);
    expect(ofCleanUp).toEqual(['ActionRequested', 'ActionStarted', 'ActionSucceeded']);

    expect(await uploaded()).toEqual([]);
    const recovery = await Recovery.open(fjc);
    try {
      const rows = await recovery.owner.query<{ jobs: number; actions: number; own: string | null }>(
        `select (select count(*) from deployer_jobs where flink_job_id = any($1::text[]))::int as jobs,
                (select count(*) from deployer_actions where flink_job_id = any($1::text[]))::int as actions,
                (select status from deployer_actions where action_id = $2) as own`,
        [ids, cleanUp.requested?.payload.actionId],
      );
      expect(rows.rows[0]).toEqual({ jobs: 0, actions: 0, own: 'succeeded' });
      const job = await fjc.job(jobId);
      expect(job).toMatchObject({ state: 'FINISHED', flinkJobId: ids[1], lastError: null });
      // Nothing more: no third tick, no second clean-up.
      await new Promise((r) => setTimeout(r, 4_000));
      const later = await fjc.events(jobId);
      expect(later.filter((e) => e.type === 'ScheduleTick').map((e) => e.payload.runNumber)).toEqual([1, 2]);
      expect(later.filter((e) => e.type === 'ActionRequested' && e.payload.action?.kind === 'CleanUp')).toHaveLength(1);
      expect((await fjc.job(jobId)).state).toBe('FINISHED');

      await recovery.expectRebuildsIdentical();
    } finally {
      await recovery.close();
    }
  }, 180_000);
});
