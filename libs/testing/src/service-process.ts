// Running FJC services as real processes for integration and scenario tests: each built
// service started with node on a free port, in an isolated world (its own database and topic
// prefix), waited for until /health/ready answers, and stoppable gently or with SIGKILL.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from './test-database';
import { stackEnv, stackFlinkEnv, stackKafkaSecurityEnv, stackPostgresSecurityEnv, uniqueSuffix } from './stack-env';

export type FjcServiceName = 'spec-service' | 'reconciler' | 'scheduler' | 'deployer';

const ROOT = join(__dirname, '..', '..', '..');

/** The memory settings every service process gets (scripts/service-memory.json, as npm start and
 *  the image give them); a NODE_OPTIONS of the caller's comes after ours, so it wins. */
function memoryEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const memory = JSON.parse(readFileSync(join(ROOT, 'scripts', 'service-memory.json'), 'utf8')) as Record<'MALLOC_ARENA_MAX' | 'NODE_OPTIONS', string>;
  return {
    MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? memory.MALLOC_ARENA_MAX,
    NODE_OPTIONS: [memory.NODE_OPTIONS, env.NODE_OPTIONS].filter(Boolean).join(' '),
  };
}
/** Where the test job's jar is built; the worlds' artifact root, so specs name it `fjc-test-job.jar`. */
export const TEST_JOB_DIR = join(ROOT, 'infra', 'flink-test-job', 'target');
const PORT_ENV: Record<FjcServiceName, string> = {
  'spec-service': 'SPEC_SERVICE_PORT',
  reconciler: 'RECONCILER_PORT',
  scheduler: 'SCHEDULER_PORT',
  deployer: 'DEPLOYER_PORT',
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A private world for one test file: its own database and topic prefix on the shared stack. */
export interface IsolatedWorld {
  readonly db: TestDatabase;
  readonly topicPrefix: string;
  readonly env: Record<string, string>;
  /** An FJC API token with the admin role in every namespace: the spec-service registers it at
   *  start (FJC_BOOTSTRAP_ADMIN_TOKEN_FILE), so tests can call the API as `Bearer <adminToken>`. */
  readonly adminToken: string;
  close(): Promise<void>;
}

/** A new FJC API token value (the format the spec-service and `fjc token create` use). */
export function newApiToken(): string {
  return `fjc_${randomBytes(32).toString('base64url')}`;
}

const SERVICES_IN_ORDER: readonly FjcServiceName[] = ['spec-service', 'reconciler', 'scheduler', 'deployer'];

/**
 * The migration step of a world, as `fjc db migrate` runs it: each built service's
 * dist/migrate-main.js with the owner's DATABASE_URL (its migrations, its role and grants).
 * The services themselves then connect as their roles and never migrate.
 */
export async function migrateWorld(ownerUrl: string, env: Record<string, string> = {}): Promise<void> {
  for (const name of SERVICES_IN_ORDER) {
    await promisify(execFile)(process.execPath, [join(ROOT, 'services', name, 'dist', 'migrate-main.js')], {
      cwd: ROOT,
      env: { ...process.env, ...env, DATABASE_URL: ownerUrl },
    }).catch((err: { stderr?: string; message: string }) => {
      throw new Error(`migration step of ${name} failed: ${err.stderr || err.message}`);
    });
  }
}

/** `migrate: false`: a world whose migration step has not run (a test runs it, or checks what a service does without it). */
export async function isolatedWorld(extraEnv: Record<string, string> = {}, options: { migrate?: boolean } = {}): Promise<IsolatedWorld> {
  const db = await createTestDatabase();
  if (options.migrate !== false) {
    try {
      await migrateWorld(db.url, { ...stackPostgresSecurityEnv(), ...extraEnv });
    } catch (err) {
      await db.drop();
      throw err;
    }
  }
  const topicPrefix = `t${uniqueSuffix()}.`;
  const adminToken = newApiToken();
  const tokenDir = mkdtempSync(join(tmpdir(), 'fjc-world-'));
  const tokenFile = join(tokenDir, 'admin-token');
  writeFileSync(tokenFile, `${adminToken}\n`, { mode: 0o600 });
  const env = {
    DATABASE_URL: db.url,
    FJC_BOOTSTRAP_ADMIN_TOKEN_FILE: tokenFile,
    KAFKA_BROKERS: stackEnv('KAFKA_BROKERS'),
    ...stackKafkaSecurityEnv(),
    ...stackPostgresSecurityEnv(),
    ...stackFlinkEnv(),
    FJC_TOPIC_PREFIX: topicPrefix,
    // The test job's folder, as npm start sets it: a root holding jars only (not the repository,
    // which holds the stack's folder with its passwords: FJC_ARTIFACT_ROOT_UNSAFE).
    FJC_ARTIFACT_ROOT: TEST_JOB_DIR,
    LOG_LEVEL: 'info',
    // Crash tests wait this long for Kafka to give a killed member's partitions away.
    FJC_KAFKA_SESSION_TIMEOUT_MS: '10000',
    ...extraEnv,
  };
  return {
    db,
    topicPrefix,
    env,
    adminToken,
    close: async () => {
      rmSync(tokenDir, { recursive: true, force: true });
      await db.drop();
    },
  };
}

export class ServiceProcess {
  private child: ChildProcess | null = null;
  private output: string[] = [];
  readonly port: Promise<number>;
  private resolvedPort = 0;

  /** `logFile`: every line the process writes is also appended there (the in-memory tail is cut at 2000 lines). */
  constructor(
    readonly name: FjcServiceName,
    private readonly env: Record<string, string>,
    readonly instance = 1,
    readonly logFile?: string,
  ) {
    this.port = freePort().then((p) => (this.resolvedPort = p));
  }

  get url(): string {
    return `http://127.0.0.1:${this.resolvedPort}`;
  }

  /** The last lines the process wrote (JSON logs), for failure messages; `skip` leaves out lines
   *  that match it (the spec-service's access log drowns what it decided while a test polls it). */
  logs(lines = 60, skip?: RegExp): string {
    return (skip === undefined ? this.output : this.output.filter((l) => !skip.test(l))).slice(-lines).join('\n');
  }

  async start(timeoutMs = 60_000): Promise<this> {
    const port = await this.port;
    const child = spawn(process.execPath, [join(ROOT, 'services', this.name, 'dist', 'main.js')], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, ...memoryEnv({ ...process.env, ...this.env }), [PORT_ENV[this.name]]: String(port), FJC_INSTANCE_ID: `${this.name}-${this.instance}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer) => {
      if (this.logFile !== undefined) appendFileSync(this.logFile, d);
      this.output.push(...d.toString().split('\n').filter(Boolean));
      if (this.output.length > 2000) this.output = this.output.slice(-1000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.child = child;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${this.name} exited with ${child.exitCode} during start:\n${this.logs()}`);
      try {
        const res = await fetch(`${this.url}/health/ready`);
        if (res.ok) return this;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.logs()}`);
  }

  /** The process id of the running service (benchmarks read its memory from /proc). */
  get pid(): number {
    if (this.child?.pid === undefined) throw new Error(`${this.name} is not running`);
    return this.child.pid;
  }

  /** Whether the process started by start() has exited (or been killed) since. */
  get exited(): boolean {
    return this.child !== null && (this.child.exitCode !== null || this.child.signalCode !== null);
  }

  kill9(): void {
    this.child?.kill('SIGKILL');
    this.child = null;
  }

  /** SIGTERM, then SIGKILL after 15 s (the grace period); says how the process ended (null: it was not running). */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null } | null> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return null;
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal });
      });
      child.kill('SIGTERM');
    });
  }
}
