// Runs the migration step (`fjc db migrate` with the owner's DATABASE_URL: every service's
// migrations, then each service's own role and grants), then the four FJC services as separate
// processes, each connecting as its own role, in the foreground, and supervises them, as a
// production supervisor would: each one's output goes to its own log file and, prefixed with its
// name, to the console; a service that exits on its own is started again after a back-off
// (1 s, doubling to 30 s; back to 1 s once it has stayed up for a minute), with a log line each
// time. Waits until every service is ready, applies the example specs (FJC_APPLY_EXAMPLES=0
// skips them), and on Ctrl-C (SIGINT) or SIGTERM stops them all in order. Each service's pid is
// in the stack's run folder (fjc-<service>.pid) while it runs. Each service gets only its own
// database settings (its role's URL and password file), never the owner's DATABASE_URL, the CLI's
// token or another service's password: scripts/service-env.mjs.
// The API needs a token: a local admin token is made once (.stack/admin-token, mode 0600), the
// spec-service registers it at start (FJC_BOOTSTRAP_ADMIN_TOKEN_FILE) and the CLI reads it.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { privatePasswordDir, roleNameOf, serviceEnv } from './service-env.mjs';
import { lineFormatter } from './log-format.mjs';

const root = new URL('..', import.meta.url).pathname;
const stackDir = process.env.FJC_STACK_DIR ?? join(root, '.stack');
const logDir = join(stackDir, 'logs');
const runDir = join(stackDir, 'run');
mkdirSync(logDir, { recursive: true });
mkdirSync(runDir, { recursive: true });
const adminTokenFile = join(stackDir, 'admin-token');
if (!existsSync(adminTokenFile)) writeFileSync(adminTokenFile, `fjc_${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
chmodSync(adminTokenFile, 0o600);
process.env.FJC_BOOTSTRAP_ADMIN_TOKEN_FILE ??= adminTokenFile;
process.env.FJC_TOKEN_FILE ??= adminTokenFile;
// Jars come from the test job's folder only (the examples name fjc-test-job.jar): never the
// repository, which holds .stack with passwords and secrets (the deployer refuses such a root).
process.env.FJC_ARTIFACT_ROOT ??= join(root, 'infra', 'flink-test-job', 'target');
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
const STABLE_AFTER_MS = 60_000;

const services = [
  { name: 'spec-service', portEnv: 'SPEC_SERVICE_PORT', port: 8080, color: 36 },
  { name: 'reconciler', portEnv: 'RECONCILER_PORT', port: 8090, color: 35 },
  { name: 'scheduler', portEnv: 'SCHEDULER_PORT', port: 8091, color: 33 },
  { name: 'deployer', portEnv: 'DEPLOYER_PORT', port: 8092, color: 32 },
];
const width = Math.max(...services.map((s) => s.name.length));
// Readable lines on the console; the files keep the JSON (scripts/log-format.mjs).
const format = lineFormatter();
const children = new Map();
/** Per service: the next restart delay and pending restart timer. */
const restarts = new Map(services.map((svc) => [svc.name, { delayMs: BACKOFF_MIN_MS, timer: null, count: 0 }]));
let stopping = false;

function say(msg) {
  process.stdout.write(`${'fjc'.padEnd(width)} | ${msg}\n`);
}

const pidFile = (svc) => join(runDir, `fjc-${svc.name}.pid`);

function start(svc) {
  const port = Number(process.env[svc.portEnv] ?? svc.port);
  const startedAt = Date.now();
  const file = createWriteStream(join(logDir, `${svc.name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [join(root, 'services', svc.name, 'dist', 'main.js')], {
    env: {
      ...serviceEnv(svc.name, process.env, { roleName: roleNameOf(svc.name, process.env, root), passwordDir: privatePasswordDir(svc.name, process.env, runDir) }),
      [svc.portEnv]: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `\x1b[${svc.color}m${svc.name.padEnd(width)}\x1b[0m | `;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      file.write(line + '\n');
      process.stdout.write(prefix + format(line) + '\n');
    });
  }
  if (child.pid) writeFileSync(pidFile(svc), `${child.pid}\n`);
  child.on('exit', (code, signal) => {
    children.delete(svc.name);
    rmSync(pidFile(svc), { force: true });
    file.end();
    if (!stopping) scheduleRestart(svc, code, signal, Date.now() - startedAt);
    else if (children.size === 0) say('all services stopped');
  });
  children.set(svc.name, { child, port });
}

function scheduleRestart(svc, code, signal, upMs) {
  const r = restarts.get(svc.name);
  if (upMs >= STABLE_AFTER_MS) r.delayMs = BACKOFF_MIN_MS;
  const delay = r.delayMs;
  r.delayMs = Math.min(r.delayMs * 2, BACKOFF_MAX_MS);
  r.count += 1;
  say(`FJC_SERVICE_RESTARTING ${svc.name} exited (code ${code}, signal ${signal}) after ${Math.round(upMs / 1000)}s; restart ${r.count} in ${delay / 1000}s`);
  r.timer = setTimeout(async () => {
    r.timer = null;
    if (stopping) return;
    start(svc);
    if (await waitReady(svc)) say(`${svc.name} is back and ready (restart ${r.count})`);
  }, delay);
}

async function waitReady(svc, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    const { port } = children.get(svc.name) ?? {};
    try {
      if (port && (await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function stopAll() {
  if (stopping && children.size === 0) return;
  stopping = true;
  for (const r of restarts.values()) if (r.timer) clearTimeout(r.timer);
  // Reverse start order: producers of work stop before the services that carry it out.
  for (const svc of [...services].reverse()) {
    const entry = children.get(svc.name);
    if (entry) entry.child.kill('SIGTERM');
  }
  setTimeout(() => {
    for (const { child } of children.values()) child.kill('SIGKILL');
  }, 20_000).unref();
}

function applyExamples() {
  const dir = join(root, 'examples', 'specs');
  const cli = join(root, 'tools', 'cli', 'dist', 'main.js');
  if (process.env.FJC_APPLY_EXAMPLES === '0' || !existsSync(dir) || !existsSync(cli)) return;
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));
  if (files.length === 0) return;
  say(`applying ${files.length} example specs from examples/specs`);
  // The CLI talks to this spec-service, on whatever port it was given.
  const api = `http://127.0.0.1:${process.env.SPEC_SERVICE_PORT ?? 8080}`;
  const result = spawnSync(process.execPath, [cli, 'apply', dir], { stdio: 'inherit', env: { FJC_API_URL: api, ...process.env } });
  if (result.status !== 0) say('applying the example specs failed; the services keep running');
}

process.on('SIGINT', () => {
  say('Ctrl-C: stopping services');
  stopAll();
});
process.on('SIGTERM', stopAll);

// The migration step first, as a deployment runs it: the services never migrate themselves.
say('migration step: fjc db migrate');
const migrated = spawnSync(process.execPath, [join(root, 'tools', 'cli', 'dist', 'main.js'), 'db', 'migrate'], { stdio: 'inherit', env: process.env });
if (migrated.status !== 0) {
  say(`FJC_MIGRATION_FAILED the migration step exited with ${migrated.status ?? migrated.signal}; the services are not started`);
  process.exit(1);
}
for (const svc of services) start(svc);
const ready = await Promise.all(services.map((svc) => waitReady(svc)));
if (stopping) {
  // Ctrl-C during the start.
} else if (ready.every(Boolean)) {
  say(`all services ready: ${services.map((s) => `${s.name} :${children.get(s.name)?.port}`).join(', ')}`);
  applyExamples();
  say(`the API needs a token: the CLI uses ${adminTokenFile}; curl -H "Authorization: Bearer $(cat ${adminTokenFile})" ...`);
  say('press Ctrl-C to stop');
} else {
  // A service waiting for PostgreSQL or Kafka stays up and says so on its readiness probe.
  const waiting = services.filter((_, i) => !ready[i]).map((s) => s.name);
  say(`FJC_SERVICES_NOT_READY ${waiting.join(', ')} not ready after 60s (see their logs and /health/ready); the example specs are not applied`);
}
