// Runs the four FJC services as separate processes in the foreground: each one's output goes
// to its own log file and, prefixed with its name, to the console. Waits until every service
// is ready, applies the example specs, and on Ctrl-C (SIGINT) or SIGTERM stops them all in
// order. Exits non-zero when a service dies on its own.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = new URL('..', import.meta.url).pathname;
const logDir = join(process.env.FJC_STACK_DIR ?? join(root, '.stack'), 'logs');
mkdirSync(logDir, { recursive: true });

const services = [
  { name: 'spec-service', portEnv: 'SPEC_SERVICE_PORT', port: 8080, color: 36 },
  { name: 'reconciler', portEnv: 'RECONCILER_PORT', port: 8090, color: 35 },
  { name: 'scheduler', portEnv: 'SCHEDULER_PORT', port: 8091, color: 33 },
  { name: 'deployer', portEnv: 'DEPLOYER_PORT', port: 8092, color: 32 },
];
const width = Math.max(...services.map((s) => s.name.length));
const children = new Map();
let stopping = false;

function say(msg) {
  process.stdout.write(`${'fjc'.padEnd(width)} | ${msg}\n`);
}

function start(svc) {
  const port = Number(process.env[svc.portEnv] ?? svc.port);
  const file = createWriteStream(join(logDir, `${svc.name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [join(root, 'services', svc.name, 'dist', 'main.js')], {
    env: { ...process.env, [svc.portEnv]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `\x1b[${svc.color}m${svc.name.padEnd(width)}\x1b[0m | `;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      file.write(line + '\n');
      process.stdout.write(prefix + line + '\n');
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(svc.name);
    file.end();
    if (!stopping) {
      say(`${svc.name} exited unexpectedly (code ${code}, signal ${signal}); stopping everything`);
      process.exitCode = 1;
      stopAll();
    } else if (children.size === 0) {
      say('all services stopped');
    }
  });
  children.set(svc.name, { child, port });
}

async function waitReady(svc, timeoutMs = 60_000) {
  const { port } = children.get(svc.name) ?? {};
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && children.has(svc.name)) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

function stopAll() {
  if (stopping && children.size === 0) return;
  stopping = true;
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
  if (!existsSync(dir) || !existsSync(cli)) return;
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));
  if (files.length === 0) return;
  say(`applying ${files.length} example specs from examples/specs`);
  const result = spawnSync(process.execPath, [cli, 'apply', dir], { stdio: 'inherit', env: process.env });
  if (result.status !== 0) say('applying the example specs failed; the services keep running');
}

process.on('SIGINT', () => {
  say('Ctrl-C: stopping services');
  stopAll();
});
process.on('SIGTERM', stopAll);

for (const svc of services) start(svc);
const ready = await Promise.all(services.map((svc) => waitReady(svc)));
if (ready.every(Boolean)) {
  say(`all services ready: ${services.map((s) => `${s.name} :${children.get(s.name)?.port}`).join(', ')}`);
  applyExamples();
  say('press Ctrl-C to stop');
} else if (!stopping) {
  say('not every service became ready in time; stopping');
  process.exitCode = 1;
  stopAll();
}
