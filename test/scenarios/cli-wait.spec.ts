// `fjc apply --wait` as a user runs it (the built CLI, a child process) against the real stack:
// a good version is followed to stable with a progress line per status change and exit 0; a
// version whose entry class is not in the jar fails (FJC_FLINK_PROGRAM_INVALID) and is rolled
// back to the stable one: exit 1 with that reason. Flink is checked in both cases.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';

const BIN = join(__dirname, '..', '..', 'tools', 'cli', 'bin', 'fjc.js');

describe('fjc apply --wait', () => {
  let fjc: FjcSystem;
  const dir = mkdtempSync(join(tmpdir(), 'fjc-cli-wait-'));
  const jobId = `cli-wait-${uniqueSuffix()}`;
  /** Stability gates short enough for a test: 3 s RUNNING and one checkpoint; a failed version
   *  is rolled back (a stateless job is not by default). */
  const specFile = (version: string, changes: (s: Record<string, unknown>) => void = () => undefined) => {
    const spec = exampleSpec('stream-stateless.yaml', jobId, (s) => {
      (s.deployment as Record<string, unknown>).checkpoint_interval = '1s';
      s.stream_config = { auto_rollback: true, stability: { min_running_time: '3s', min_checkpoints: 1, max_restarts: 0, deadline: '90s' } };
      changes(s);
    });
    const file = join(dir, `${version}.yaml`);
    writeFileSync(file, stringify(spec));
    return file;
  };

  /** Runs fjc as a child process (asynchronously: the services' output keeps flowing meanwhile). */
  const run = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        env: { ...process.env, FJC_API_URL: fjc.service('spec-service').url, FJC_TOKEN: fjc.world.adminToken },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  beforeAll(async () => {
    fjc = await FjcSystem.start();
  });
  afterAll(async () => {
    await fjc?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 once a good version is stable, after a progress line per status change', async () => {
    const cli = await run('apply', specFile('v1'), '--wait', '--timeout', '3m');
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const lines = cli.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual([`${jobId}: version 1 (created)`, '1 created']);
    const final = lines.at(-1) as string;
    const flinkJobId = /flink job ([0-9a-f]{32})\)$/.exec(final)?.[1] as string;
    expect(final).toBe(`${jobId}: version 1 is stable (RUNNING, flink job ${flinkJobId})`);
    // Progress: one line per change, never the same line twice in a row, ending RUNNING past its gates.
    const progress = lines.slice(2, -1);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((l, i) => l.startsWith(`${jobId}: `) && l !== progress[i - 1])).toBe(true);
    expect(progress.at(-1)).toMatch(new RegExp(`^${jobId}: RUNNING, version 1 deployed, flink job ${flinkJobId}: `));
    expect(progress.some((l) => l.includes('RUNNING (candidate)'))).toBe(true);
    expect(await fjc.job(jobId)).toMatchObject({ state: 'RUNNING', lastStableVersion: 1, candidate: false, flinkJobId });
    expect((await fjc.flink.job(flinkJobId))?.state).toBe('RUNNING');
  }, 240_000);

  it('exits 1 with the reason when a version fails and is rolled back, and the stable version runs in Flink again', async () => {
    const cli = await run('apply', specFile('v2', (s) => (s.entry_class = 'com.example.DoesNotExist')), '--wait', '--timeout', '3m');
    expect(cli.code).toBe(1);
    expect(cli.stdout.split('\n').slice(0, 2)).toEqual([`${jobId}: version 2 (updated)`, '1 updated']);
    expect(cli.stderr).toMatch(new RegExp(`^${jobId}: failed: version 2 failed \\([A-Z_]+[^)]*\\): FJC_FLINK_PROGRAM_INVALID: .*com\\.example\\.DoesNotExist`));
    const job = await fjc.waitForState(jobId, (j) => j.state === 'ROLLED_BACK' && j.flinkJobId !== null, 'ROLLED_BACK to version 1');
    expect(job).toMatchObject({ version: 2, failedVersion: 2, deployedVersion: 1, lastStableVersion: 1 });
    expect(await fjc.runningInFlinkSoon(jobId)).toEqual([job.flinkJobId]);
  }, 240_000);
});
