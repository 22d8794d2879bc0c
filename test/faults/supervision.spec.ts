// `npm start` supervises its services: one killed with SIGKILL is started again and becomes ready
// (how fast: test/bench/recovery.bench.ts), and Ctrl-C still stops everything. Runs scripts/run-system.mjs (what npm start runs once
// the stack is up) in an isolated world of the fault stack.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort, isolatedWorld, type IsolatedWorld } from '@fjc/testing';

const ROOT = join(__dirname, '..', '..');
const SERVICES = ['spec-service', 'reconciler', 'scheduler', 'deployer'] as const;
const PORT_ENV = { 'spec-service': 'SPEC_SERVICE_PORT', reconciler: 'RECONCILER_PORT', scheduler: 'SCHEDULER_PORT', deployer: 'DEPLOYER_PORT' } as const;

describe('npm start supervision', () => {
  let world: IsolatedWorld;
  let system: ChildProcess;
  let output = '';
  let runDir: string;
  const ports: Record<string, number> = {};

  const ready = async (svc: string): Promise<boolean> => {
    try {
      return (await fetch(`http://127.0.0.1:${ports[svc]}/health/ready`)).ok;
    } catch {
      return false;
    }
  };
  const pidOf = (svc: string): number | null => {
    const file = join(runDir, 'run', `fjc-${svc}.pid`);
    return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : null;
  };

  beforeAll(async () => {
    world = await isolatedWorld();
    runDir = mkdtempSync(join(tmpdir(), 'fjc-supervision-'));
    for (const svc of SERVICES) ports[svc] = await freePort();
    system = spawn(process.execPath, [join(ROOT, 'scripts', 'run-system.mjs')], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...world.env,
        FJC_STACK_DIR: runDir,
        FJC_APPLY_EXAMPLES: '0',
        ...Object.fromEntries(SERVICES.map((svc) => [PORT_ENV[svc], String(ports[svc])])),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    system.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    system.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await eventually('all services ready', async () => output, (o) => o.includes('all services ready'), { timeoutMs: 120_000, intervalMs: 500 });
  });

  afterAll(async () => {
    if (system.exitCode === null) system.kill('SIGKILL');
    await world.close();
  });

  it.each(['deployer', 'spec-service'])('starts %s again after kill -9, and it becomes ready', async (svc) => {
    const before = pidOf(svc);
    if (before === null) throw new Error(`no pid file of ${svc}`);
    expect(await ready(svc)).toBe(true);
    process.kill(before, 'SIGKILL');
    await eventually(`${svc} not ready after the kill`, () => ready(svc), (r) => !r, { timeoutMs: 5_000, intervalMs: 50 });
    await eventually(`${svc} ready again`, () => ready(svc), (r) => r, { timeoutMs: 120_000, intervalMs: 100 });
    expect(pidOf(svc)).not.toBe(before);
    expect(output).toMatch(new RegExp(`FJC_SERVICE_RESTARTING ${svc} exited \\(code null, signal SIGKILL\\)`));
    // The others never noticed.
    for (const other of SERVICES) expect(await ready(other)).toBe(true);
  });

  it('stops every service on Ctrl-C and exits 0', async () => {
    const pids = SERVICES.map((svc) => pidOf(svc)).filter((pid): pid is number => pid !== null);
    expect(pids).toHaveLength(SERVICES.length);
    const exited = new Promise<number | null>((resolve) => system.once('exit', (code) => resolve(code)));
    system.kill('SIGINT');
    expect(await exited).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    expect(output).toContain('all services stopped');
    expect(output).not.toMatch(/FJC_SERVICE_RESTARTING \S+ exited \(code 0/);
  });
});
