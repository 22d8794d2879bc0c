// Faults of the fault suite's own stack (test/faults/run-faults.sh): PostgreSQL restarted the
// way an administrator does it (fast shutdown: every session is terminated), Kafka and Flink
// killed with SIGKILL and started again by the stack's own script. Only processes the stack
// recorded are touched.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');

function stackDir(): string {
  const dir = process.env.FJC_STACK_DIR;
  if (!dir || !/faults-\d+$/.test(dir)) {
    throw new Error('the fault suite runs only through test/faults/run-faults.sh (FJC_STACK_DIR must be a .stack/faults-N folder)');
  }
  return dir;
}

function recordedPid(name: string): number {
  const file = join(stackDir(), 'run', `${name}.pid`);
  if (!existsSync(file)) throw new Error(`${name} was not started by the fault stack (no ${file})`);
  return Number(readFileSync(file, 'utf8').trim());
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`${what} (pid ${pid}) still runs after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGKILL a recorded process and its process group (the stack starts each with setsid). */
async function kill9(name: string): Promise<void> {
  const pid = recordedPid(name);
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await waitForExit(pid, name);
}

/** infra/stack up COMPONENT with the suite's environment (ports, stack folder). */
async function stackUp(component: string): Promise<void> {
  await run('bash', [join(ROOT, 'infra', 'stack'), 'up', component], { cwd: ROOT, env: process.env, maxBuffer: 16 * 1024 * 1024 });
}

/** The postmaster of the private cluster. */
function postmasterPid(): number {
  // The stack records where the private cluster lives (under /var/tmp when the checkout is in a
  // folder the postgres user cannot reach).
  const recorded = join(stackDir(), 'run', 'postgres.datadir');
  const dataDir = existsSync(recorded) ? readFileSync(recorded, 'utf8').trim() : join(stackDir(), 'data', 'postgres');
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) throw new Error(`the fault stack runs no private PostgreSQL (no ${file})`);
  return Number(readFileSync(file, 'utf8').split('\n')[0]);
}

/** Fast shutdown (what `pg_ctl stop -m fast` and `pg_ctlcluster ... restart` do): clients get
 *  "terminating connection due to administrator command". */
export async function stopPostgres(): Promise<void> {
  const pid = postmasterPid();
  process.kill(pid, 'SIGINT');
  await waitForExit(pid, 'postgres');
}

export async function startPostgres(): Promise<void> {
  await stackUp('postgres');
}

/** Stop, stay down for `downMs`, start again. */
export async function restartPostgres(downMs = 0): Promise<void> {
  await stopPostgres();
  if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
  await startPostgres();
}

export async function killKafka(): Promise<void> {
  await kill9('kafka');
}

export async function startKafka(): Promise<void> {
  await stackUp('kafka');
}

/** The JobManager and the TaskManager, both with SIGKILL. Without HA, Flink forgets its jobs. */
export async function killFlink(): Promise<void> {
  await kill9('flink-taskmanager');
  await kill9('flink-jobmanager');
}

/** The TaskManager alone, with SIGKILL: its jobs restart, waiting for slots. `startFlink` brings
 *  a new one up beside the running JobManager. */
export async function killTaskManager(): Promise<void> {
  await kill9('flink-taskmanager');
}

export async function startFlink(): Promise<void> {
  await stackUp('flink');
}
