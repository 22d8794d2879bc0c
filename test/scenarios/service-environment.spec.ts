// npm start gives each service only its own database settings: scripts/run-system.mjs (what npm
// start runs once the stack is up) is started in an isolated world with a password folder of all
// four roles, a deployer-only secret variable and the CLI's token, and each running service's
// /proc/<pid>/environ is read: no owner DATABASE_URL, its own role's URL without a password, a
// password folder with its own file only, no other role's password anywhere, no CLI token; and
// every service became ready with those settings.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort, isolatedWorld, uniqueSuffix, type IsolatedWorld } from '@fjc/testing';

const ROOT = join(__dirname, '..', '..');
const SERVICES = ['spec-service', 'reconciler', 'scheduler', 'deployer'] as const;
const PORT_ENV = { 'spec-service': 'SPEC_SERVICE_PORT', reconciler: 'RECONCILER_PORT', scheduler: 'SCHEDULER_PORT', deployer: 'DEPLOYER_PORT' } as const;

describe('npm start: each service gets its own database settings only', () => {
  let world: IsolatedWorld;
  let system: ChildProcess;
  let output = '';
  const stackDir = mkdtempSync(join(tmpdir(), 'fjc-service-env-'));
  const passwordDir = mkdtempSync(join(tmpdir(), 'fjc-pg-passwords-'));
  const passwords = Object.fromEntries(SERVICES.map((svc) => [svc, `pw-${svc}-${uniqueSuffix()}`]));
  const secretCanary = `deployer-only-${uniqueSuffix()}`;
  const cliToken = `fjc_cli-${uniqueSuffix()}`;

  const environOf = (svc: string): Record<string, string> => {
    const pid = readFileSync(join(stackDir, 'run', `fjc-${svc}.pid`), 'utf8').trim();
    const text = readFileSync(`/proc/${pid}/environ`, 'utf8');
    return Object.fromEntries(
      text
        .split('\0')
        .filter((kv) => kv !== '')
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
  };

  beforeAll(async () => {
    for (const svc of SERVICES) writeFileSync(join(passwordDir, svc), `${passwords[svc]}\n`, { mode: 0o600 });
    world = await isolatedWorld();
    const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (svc) => [PORT_ENV[svc], String(await freePort())])));
    system = spawn(process.execPath, [join(ROOT, 'scripts', 'run-system.mjs')], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...world.env,
        FJC_STACK_DIR: stackDir,
        FJC_APPLY_EXAMPLES: '0',
        FJC_PG_PASSWORD_DIR: passwordDir,
        FJC_SECRET_DEFAULT_ENV_CANARY: secretCanary,
        FJC_TOKEN: cliToken,
        ...ports,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    system.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    system.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await eventually('all services ready', async () => output, (o) => o.includes('all services ready'), { timeoutMs: 150_000, intervalMs: 500 });
  });

  afterAll(async () => {
    if (system && system.exitCode === null) {
      const exited = new Promise((resolve) => system.once('exit', resolve));
      system.kill('SIGINT');
      await exited;
    }
    await world?.close();
    rmSync(stackDir, { recursive: true, force: true });
    rmSync(passwordDir, { recursive: true, force: true });
  });

  it.each(SERVICES)('%s: its role URL and its own password file, not the owner URL nor anyone else\'s password', (svc) => {
    const env = environOf(svc);
    const text = Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n');
    expect(env.DATABASE_URL).toBeUndefined();
    expect(Object.values(env)).not.toContain(world.env.DATABASE_URL);
    const url = new URL(env.FJC_SERVICE_DATABASE_URL);
    expect(url.username).toBe(`${new URL(world.env.DATABASE_URL).pathname.slice(1)}_${svc.replace('-', '_')}`);
    expect(url.password).toBe('');
    expect(env.FJC_PG_PASSWORD_DIR).not.toBe(passwordDir);
    expect(readdirSync(env.FJC_PG_PASSWORD_DIR)).toEqual([svc]);
    expect(readFileSync(join(env.FJC_PG_PASSWORD_DIR, svc), 'utf8').trim()).toBe(passwords[svc]);
    for (const other of SERVICES) expect(text.includes(passwords[other])).toBe(false);
    expect(text).not.toContain(cliToken);
    expect(env.FJC_TOKEN_FILE).toBeUndefined();
    expect(text.includes(secretCanary)).toBe(svc === 'deployer');
    expect(env.FJC_BOOTSTRAP_ADMIN_TOKEN_FILE !== undefined).toBe(svc === 'spec-service');
    // The memory settings of scripts/service-memory.json (docs/benchmarks.md, P2).
    expect(env.MALLOC_ARENA_MAX).toBe('2');
    expect(env.NODE_OPTIONS.split(' ')).toContain('--max-semi-space-size=4');
  });

  it('every service started and became ready with those settings', () => {
    for (const svc of SERVICES) expect(existsSync(join(stackDir, 'run', `fjc-${svc}.pid`))).toBe(true);
    expect(output).not.toContain('FJC_SERVICES_NOT_READY');
  });

  it('shows readable single lines on the console and keeps JSON in each service\'s log file', () => {
    // Console: "<service> | [HH:MM:ss.mmm] INFO: service started {...}", never a raw JSON line.
    const lines = output.split('\n').filter((l) => / \| /.test(l) && !l.startsWith('fjc '));
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.filter((l) => /\| \{"level"/.test(l))).toEqual([]);
    expect(lines.some((l) => /reconciler.*\| \[\d\d:\d\d:\d\d\.\d{3}\] INFO: service started/.test(l))).toBe(true);
    for (const svc of SERVICES) {
      const file = readFileSync(join(stackDir, 'logs', `${svc}.log`), 'utf8').split('\n').filter((l) => l.startsWith('{'));
      expect(file.length).toBeGreaterThan(0);
      expect((JSON.parse(file.find((l) => l.includes('service started')) ?? '{}') as { service?: string }).service).toBe(svc);
    }
  });
});
