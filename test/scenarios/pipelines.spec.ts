// Pipelines (issue 16) on the real Flink: a diamond runs in order with extract's declared output
// in the transforms' arguments (read back from the job names Flink shows: the test job's --name);
// a failing stage is retried, fails its run, and `fjc run retry --from-stage` finishes the run
// without running the finished stages again; a seconds cron runs twice, never overlapping under
// forbid. Every stage is an ordinary batch job of the stack, parallelism 1 (two run at once at
// most: the test Flink's slots are shared).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { eventually, uniqueSuffix } from '@fjc/testing';
import { Recovery } from '../support/recovery';
import { exampleSpec, FjcSystem } from '../support/system';

function fail(message: string): never {
  throw new Error(message);
}

const BIN = join(__dirname, '..', '..', 'tools', 'cli', 'bin', 'fjc.js');

interface StageView { stage: string; status: string; attempt: number; jobId: string; args: string[] | null; outputs: Record<string, string> | null; reason: string | null }
interface RunView { runId: string; status: string; reason: string | null; startedAt: string; endedAt: string | null; scheduledTime: string; trigger: string; stages: StageView[] }

describe('pipelines', () => {
  let fjc: FjcSystem;
  const dir = mkdtempSync(join(tmpdir(), 'fjc-pipelines-'));
  const jar = exampleSpec('batch-cron.yaml', 'unused');
  const job = (args: string[]) => ({ artifact_path: jar.artifact_path, artifact_signature: jar.artifact_signature, args });

  const cli = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, FJC_API_URL: fjc.service('spec-service').url, FJC_TOKEN: fjc.world.adminToken } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  const apply = async (pipeline: Record<string, unknown>) => {
    const file = join(dir, `${String(pipeline.pipeline_id)}-${uniqueSuffix()}.yaml`);
    writeFileSync(file, stringify(pipeline));
    return cli('pipeline', 'apply', file);
  };
  const showRun = async (runId: string): Promise<RunView> => {
    const out = await cli('run', 'show', runId, '-o', 'json');
    if (out.code !== 0) throw new Error(`fjc run show ${runId}: ${out.stderr}`);
    return JSON.parse(out.stdout) as RunView;
  };
  const runEnded = (runId: string, status: string) =>
    eventually(`run ${runId} ${status}`, () => showRun(runId), (r) => r.status !== 'RUNNING', { timeoutMs: 150_000, intervalMs: 1000 }).then((r) => {
      expect({ runId, status: r.status, reason: r.reason }).toEqual({ runId, status, reason: expect.any(String) });
      return r;
    });
  /** The Flink runs of a stage's job, oldest first, as Flink reports them. */
  const flinkRuns = async (jobId: string) => {
    const runs = await Promise.all((await fjc.flinkJobIds(jobId)).map((id) => fjc.flink.job(id)));
    return runs.flatMap((r) => (r ? [r] : [])).sort((a, b) => a['start-time'] - b['start-time']);
  };

  beforeAll(async () => {
    fjc = await FjcSystem.start({ env: { FJC_PIPELINE_INTERVAL_MS: '500' } });
  });
  afterAll(async () => {
    await fjc?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs extract, then both transforms with its output in their arguments, then load once both finished', async () => {
    const id = `etl-${uniqueSuffix()}`;
    const applied = await apply({
      pipeline_id: id,
      stages: [
        { name: 'extract', job: job(['batch', '--records', '200', '--name', 'extract-${run.id}']), outputs: { part: 'part-${run.id}' } },
        { name: 'clean', depends_on: ['extract'], job: job(['batch', '--records', '200', '--name', 'clean-${stages.extract.outputs.part}']) },
        { name: 'enrich', depends_on: ['extract'], job: job(['batch', '--records', '200', '--name', 'enrich-${stages.extract.outputs.part}']) },
        { name: 'load', depends_on: ['clean', 'enrich'], job: job(['batch', '--records', '100', '--name', 'load-${run.id}']) },
      ],
    });
    expect(applied).toMatchObject({ code: 0, stdout: `${id}: version 1 (created)\n` });

    const started = await cli('pipeline', 'start', id, '-o', 'json');
    expect(started.code).toBe(0);
    const { runId } = JSON.parse(started.stdout) as RunView;
    const run = await runEnded(runId, 'SUCCEEDED');
    expect(run.stages.map((s) => [s.stage, s.status, s.attempt])).toEqual([
      ['extract', 'finished', 1],
      ['clean', 'finished', 1],
      ['enrich', 'finished', 1],
      ['load', 'finished', 1],
    ]);

    const perStage = await Promise.all(['extract', 'clean', 'enrich', 'load'].map((s) => flinkRuns(`${id}-${s}`)));
    for (const runs of perStage) expect(runs.map((r) => r.state)).toEqual(['FINISHED']);
    const [extract, clean, enrich, load] = perStage.map(([first]) => first ?? fail('a stage has no Flink run'));
    // What Flink got: the job names are the arguments after references were filled in.
    expect([extract, clean, enrich, load].map((r) => r.name)).toEqual([`extract-${runId}`, `clean-part-${runId}`, `enrich-part-${runId}`, `load-${runId}`]);
    // The order, by Flink's own clock: both transforms after extract ended, load after both ended.
    for (const transform of [clean, enrich]) expect(transform['start-time']).toBeGreaterThanOrEqual(extract['end-time']);
    expect(load['start-time']).toBeGreaterThanOrEqual(Math.max(clean['end-time'], enrich['end-time']));
  }, 240_000);

  it('retries a failing stage, fails the run by its policy, and retry --from-stage finishes it without re-running finished stages', async () => {
    const id = `flaky-${uniqueSuffix()}`;
    const pipeline = (loadArgs: string[]) => ({
      pipeline_id: id,
      failure_policy: { on_failure: 'stop' },
      stages: [
        { name: 'extract', job: job(['batch', '--records', '100', '--name', 'extract-${run.id}']), outputs: { part: 'p-${run.id}' } },
        { name: 'load', depends_on: ['extract'], job: job(loadArgs), retries: { max_retries: 1, backoff: '1s' } },
      ],
    });
    // An unknown mode: the job's main() refuses it, so Flink refuses the run (the test job's fail
    // mode never ends under the BATCH runtime mode a batch job runs in: its source is unbounded).
    expect((await apply(pipeline(['explode', '--records', '20', '--name', 'load-${stages.extract.outputs.part}']))).code).toBe(0);
    const started = await cli('pipeline', 'start', id, '-o', 'json');
    const { runId } = JSON.parse(started.stdout) as RunView;
    const failed = await runEnded(runId, 'FAILED');
    expect(failed.reason).toBe('stage(s) load failed (failure_policy.on_failure: stop)');
    expect(failed.stages.map((s) => [s.stage, s.status, s.attempt])).toEqual([
      ['extract', 'finished', 1],
      ['load', 'failed', 2],
    ]);
    expect(failed.stages[1]?.reason).toContain("unknown mode 'explode'");

    // Fix the pipeline, then finish the failed run from the failed stage.
    expect((await apply(pipeline(['batch', '--records', '20', '--name', 'load-${stages.extract.outputs.part}']))).stdout).toBe(`${id}: version 2 (updated)\n`);
    expect((await cli('run', 'retry', runId, '--from-stage', 'nope')).stderr).toContain('FJC_PIPELINE_UNKNOWN_STAGE');
    const retried = await cli('run', 'retry', runId, '--from-stage', 'load');
    expect(retried.code).toBe(0);
    const done = await runEnded(runId, 'SUCCEEDED');
    expect(done.stages.map((s) => [s.stage, s.status, s.attempt])).toEqual([
      ['extract', 'finished', 1],
      ['load', 'finished', 3],
    ]);
    // Extract ran once; load's one Flink run got the output of that extract, made before the failure.
    const extractRuns = await flinkRuns(`${id}-extract`);
    const loadRuns = await flinkRuns(`${id}-load`);
    expect(extractRuns.map((r) => r.state)).toEqual(['FINISHED']);
    expect(loadRuns.map((r) => [r.state, r.name])).toEqual([['FINISHED', `load-p-${runId}`]]);
  }, 240_000);

  it('runs a seconds cron pipeline twice, a run never starting while the previous one goes (forbid)', async () => {
    const id = `cron-${uniqueSuffix()}`;
    const pipeline = (schedule: boolean) => ({
      pipeline_id: id,
      // A run lasts longer than the 3 s between cron times (about 6 s of records at 20/s).
      stages: [{ name: 'tick', job: job(['batch', '--records', '120', '--rate', '20', '--name', 'tick-${run.scheduled_time}']) }],
      ...(schedule ? { schedule: { cron: '*/3 * * * * *', concurrency_policy: 'forbid' } } : {}),
    });
    expect((await apply(pipeline(true))).code).toBe(0);
    const listRuns = async () => {
      const out = await cli('runs', id, '-o', 'json');
      return (JSON.parse(out.stdout) as { runs: RunView[] }).runs;
    };
    await eventually('two finished scheduled runs', listRuns, (runs) => runs.filter((r) => r.status === 'SUCCEEDED').length >= 2, { timeoutMs: 150_000, intervalMs: 1000 });
    // Unscheduled again: no more runs start.
    expect((await apply(pipeline(false))).stdout).toBe(`${id}: version 2 (updated)\n`);
    const runs = (await eventually('no run going', listRuns, (rs) => rs.every((r) => r.status !== 'RUNNING'), { timeoutMs: 60_000, intervalMs: 1000 })).reverse();
    expect(runs.every((r) => r.trigger === 'schedule' && r.status === 'SUCCEEDED')).toBe(true);
    runs.slice(1).forEach((run, i) => expect(Date.parse(run.startedAt)).toBeGreaterThanOrEqual(Date.parse(runs[i]?.endedAt ?? 'never')));
    // In Flink too: each run of the stage's job started after the one before had ended.
    const flink = await flinkRuns(`${id}-tick`);
    expect(flink.length).toBe(runs.length);
    flink.slice(1).forEach((run, i) => expect(run['start-time']).toBeGreaterThanOrEqual(flink[i]?.['end-time'] ?? Infinity));
    expect(flink.map((r) => r.name)).toEqual(runs.map((r) => `tick-${r.scheduledTime}`));
  }, 240_000);

  it('rebuilds the pipelines, their runs and stage jobs from the log equal to the live tables', async () => {
    const recovery = await Recovery.open(fjc);
    try {
      await recovery.expectRebuildsIdentical();
    } finally {
      await recovery.close();
    }
  }, 240_000);
});
