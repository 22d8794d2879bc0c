// Benchmark of how fast FJC answers two routine faults (not a test: no thresholds, never fails a
// build; the fault suite in test/faults checks the behaviour, this measures the time):
// - a spec whose entry class does not exist: from the PUT until the job is FAILED with
//   FJC_FLINK_PROGRAM_INVALID (issue 10's target: 10 s);
// - `npm start` supervision: from a kill -9 of a service until its /health/ready answers 200
//   again (target: 15 s).
// Run with `npm run bench`; prints a markdown table and writes it to docs/benchmarks.md.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, isolatedWorld, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';

const ROOT = join(__dirname, '..', '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const KILL_ROUNDS = Number(process.env.BENCH_KILL_ROUNDS ?? 2);
const SERVICES = ['spec-service', 'reconciler', 'scheduler', 'deployer'] as const;
const PORT_ENV = { 'spec-service': 'SPEC_SERVICE_PORT', reconciler: 'RECONCILER_PORT', scheduler: 'SCHEDULER_PORT', deployer: 'DEPLOYER_PORT' } as const;

interface Row {
  readonly label: string;
  readonly target: string;
  readonly samples: number[];
}

function progress(msg: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} [bench] ${msg}\n`);
}

/** Polls `check` every 100 ms until it is true (or 5 minutes pass); returns the milliseconds since `from`. */
async function until(from: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return Date.now() - from;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not reached within 300 s`);
}

async function programError(): Promise<Row> {
  const fjc = await FjcSystem.start();
  const samples: number[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const jobId = `bench-bad-class-${uniqueSuffix()}`;
      const spec = exampleSpec('stream-stateless.yaml', jobId, (s) => (s.entry_class = 'com.example.DoesNotExist'));
      const from = Date.now();
      const put = await fjc.request('PUT', `/jobs/${jobId}`, spec);
      if (put.status !== 201) throw new Error(`PUT ${jobId}: ${put.status}`);
      const ms = await until(from, `${jobId} FAILED`, async () => {
        const job = await fjc.job(jobId);
        return job.state === 'FAILED' && job.lastError?.code === 'FJC_FLINK_PROGRAM_INVALID';
      });
      progress(`mistyped entry class ${i + 1}/${ROUNDS}: FAILED after ${ms} ms`);
      samples.push(ms);
    }
  } finally {
    await fjc.stop();
  }
  return { label: 'PUT of a spec with a mistyped entry class until FAILED (FJC_FLINK_PROGRAM_INVALID)', target: '10 s', samples };
}

async function supervision(): Promise<Row> {
  const world = await isolatedWorld();
  const runDir = mkdtempSync(join(tmpdir(), 'fjc-bench-supervision-'));
  const ports: Record<string, number> = {};
  for (const svc of SERVICES) ports[svc] = await freePort();
  let output = '';
  const system = spawn(process.execPath, [join(ROOT, 'scripts', 'run-system.mjs')], {
    cwd: ROOT,
    env: { ...process.env, ...world.env, FJC_STACK_DIR: runDir, FJC_APPLY_EXAMPLES: '0', ...Object.fromEntries(SERVICES.map((s) => [PORT_ENV[s], String(ports[s])])) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  system.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  system.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const ready = async (svc: string) => (await fetch(`http://127.0.0.1:${ports[svc]}/health/ready`)).ok;
  const pidOf = (svc: string) => {
    const file = join(runDir, 'run', `fjc-${svc}.pid`);
    return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : null;
  };
  const samples: number[] = [];
  try {
    await until(Date.now(), 'all services ready', async () => output.includes('all services ready'));
    // The supervisor's back-off (one per service) grows with restarts in a row; a service up a
    // minute starts from the shortest again. So a service is killed again only a minute after it
    // was last ready, and the four services' minutes run at once: each of them is killed
    // KILL_ROUNDS times, 8 samples in about 90 s (two services three times took 150 s for 6).
    const readyAt = new Map<string, number>();
    for (let i = 0; i < KILL_ROUNDS; i++) {
      for (const svc of SERVICES) {
        const upSince = readyAt.get(svc);
        if (upSince !== undefined) await new Promise((r) => setTimeout(r, Math.max(0, upSince + 61_000 - Date.now())));
        const pid = pidOf(svc);
        if (pid === null) throw new Error(`no pid file of ${svc}`);
        const from = Date.now();
        process.kill(pid, 'SIGKILL');
        await until(from, `${svc} down`, async () => !(await ready(svc).catch(() => false)));
        const ms = await until(from, `${svc} ready again`, () => ready(svc));
        progress(`kill -9 ${svc} ${i + 1}/${KILL_ROUNDS}: ready again after ${ms} ms`);
        samples.push(ms);
        readyAt.set(svc, Date.now());
      }
    }
  } finally {
    system.kill('SIGINT');
    await new Promise((r) => system.once('exit', r));
    await world.close();
  }
  return { label: 'kill -9 of a service under npm start until its /health/ready is 200 again', target: '15 s', samples };
}

function report(rows: Row[]): void {
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const lines = [
    '| measurement | target | runs | median s | max s |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.label} | ${r.target} | ${r.samples.length} | ${s(sorted(r.samples)[Math.floor(r.samples.length / 2)])} | ${s(Math.max(...r.samples))} |`),
  ];
  const table = lines.join('\n');
  process.stdout.write(`${table}\n`);
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on this machine (${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at the end).`;
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const doc = readFileSync(file, 'utf8');
  const begin = '<!-- bench:recovery:begin -->';
  const end = '<!-- bench:recovery:end -->';
  writeFileSync(file, doc.replace(new RegExp(`${begin}[\\s\\S]*${end}`), `${begin}\n${stamp}\n\n${table}\n${end}`));
}

async function main(): Promise<void> {
  const rows = [await programError(), await supervision()];
  report(rows);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
