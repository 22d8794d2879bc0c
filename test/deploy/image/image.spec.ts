// The FJC image, built and run (npm run test:image: scripts/test-image.sh builds it first and
// names it in FJC_IMAGE_UNDER_TEST). The migration step and the four services run as containers
// of that one image (podman, runc, host network, read-only root, non-root user) against the
// local stack: a spec applied through the containerized spec-service runs in Flink, and SIGTERM
// stops every container cleanly (exit code 0) well within the grace period.
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually, freePort, isolatedWorld, stackFlinkClient, TEST_JOB_DIR, uniqueSuffix, type IsolatedWorld } from '@fjc/testing';
import { exampleSpec, type JobView } from '../../support/system';

const run = promisify(execFile);
const IMAGE = process.env.FJC_IMAGE_UNDER_TEST ?? '';
const SERVICES = ['spec-service', 'reconciler', 'scheduler', 'deployer'] as const;
const PORT_ENV = { 'spec-service': 'SPEC_SERVICE_PORT', reconciler: 'RECONCILER_PORT', scheduler: 'SCHEDULER_PORT', deployer: 'DEPLOYER_PORT' } as const;
const UID = 10001;
const GRACE_S = 30;
const suffix = uniqueSuffix();
const containerName = (what: string) => `fjc-image-test-${suffix}-${what}`;

function podman(args: string[], timeoutMs = 120_000): Promise<{ stdout: string; stderr: string }> {
  return run('podman', args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
}

/** How every container runs here: runc (crun fails on this machine's cgroups), host network, the
 *  shell's own limits (podman's defaults are above what the machine allows), read-only root. */
async function runArgs(name: string): Promise<string[]> {
  const { stdout } = await run('bash', ['-c', 'echo "$(ulimit -n) $(ulimit -Hn)"']);
  const [soft, hard] = stdout.trim().split(' ');
  return ['--runtime', 'runc', '--network=host', '--ulimit', `nofile=${soft}:${hard}`, '--ulimit', 'nproc=4096:4096', '--read-only', '--tmpfs', '/tmp:rw,size=64m', '--name', name];
}

const envArgs = (env: Record<string, string>) => Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);

/** A file the container's user may read and nobody else writes: mode 0400, owned by UID. */
function privateFile(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o400 });
  chownSync(path, UID, UID);
}

describe('the FJC image, run as containers against the local stack', () => {
  let world: IsolatedWorld;
  const dir = mkdtempSync(join(tmpdir(), 'fjc-image-test-'));
  const ports: Record<string, number> = {};
  const started: string[] = [];
  const flink = stackFlinkClient();
  let flinkJobId: string | null = null;
  const jobId = `image-${suffix}`;

  beforeAll(async () => {
    if (!IMAGE) throw new Error('FJC_IMAGE_UNDER_TEST is not set: run npm run test:image (scripts/test-image.sh builds the image)');
    chmodSync(dir, 0o755);
    world = await isolatedWorld({ FJC_OBSERVE_INTERVAL_MS: '1000', FJC_RESYNC_INTERVAL_MS: '5000' }, { migrate: false });
    // Role passwords: every one for the migration step, each service its own folder with its own file.
    mkdirSync(join(dir, 'pg-passwords'), { mode: 0o755 });
    for (const svc of SERVICES) {
      privateFile(join(dir, 'pg-passwords', svc), `pw-${svc}-${suffix}\n`);
      mkdirSync(join(dir, `pg-${svc}`), { mode: 0o755 });
      privateFile(join(dir, `pg-${svc}`, svc), `pw-${svc}-${suffix}\n`);
    }
    privateFile(join(dir, 'admin-token'), `${world.adminToken}\n`);
    for (const svc of SERVICES) ports[svc] = await freePort();
  }, 120_000);

  afterAll(async () => {
    if (flinkJobId) await flink.cancel(flinkJobId).catch(() => undefined);
    for (const name of started) await podman(['rm', '-f', '-t', '0', name]).catch(() => undefined);
    await world?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('runs the migration step as a one-shot container (the Kubernetes Job\'s command)', async () => {
    const name = containerName('migrate');
    started.push(name);
    await podman([
      'run', ...(await runArgs(name)),
      ...envArgs({ DATABASE_URL: world.env.DATABASE_URL, FJC_PG_PASSWORD_DIR: '/etc/fjc/pg-passwords' }),
      '-v', `${join(dir, 'pg-passwords')}:/etc/fjc/pg-passwords:ro`,
      IMAGE, 'migrate',
    ], 180_000);
    const { stdout } = await podman(['inspect', '--format', '{{.State.ExitCode}} {{.Config.User}}', name]);
    expect(stdout.trim()).toBe(`0 ${UID}:${UID}`);
  }, 240_000);

  it('starts the four services, each as its own role with its own password file, and they become ready', async () => {
    const { DATABASE_URL: ownerUrl, FJC_BOOTSTRAP_ADMIN_TOKEN_FILE: _token, FJC_ARTIFACT_ROOT: _root, ...shared } = world.env;
    const database = new URL(ownerUrl).pathname.slice(1);
    for (const svc of SERVICES) {
      const name = containerName(svc);
      const url = new URL(ownerUrl);
      url.username = `${database}_${svc.replace('-', '_')}`;
      url.password = '';
      const env: Record<string, string> = {
        ...shared,
        FJC_SERVICE_DATABASE_URL: url.href,
        FJC_PG_PASSWORD_DIR: '/etc/fjc/pg-password',
        FJC_BIND_HOST: '127.0.0.1',
        [PORT_ENV[svc]]: String(ports[svc]),
        FJC_INSTANCE_ID: name,
      };
      const mounts = ['-v', `${join(dir, `pg-${svc}`)}:/etc/fjc/pg-password:ro`];
      if (svc === 'spec-service') {
        env.FJC_BOOTSTRAP_ADMIN_TOKEN_FILE = '/etc/fjc/admin-token';
        mounts.push('-v', `${join(dir, 'admin-token')}:/etc/fjc/admin-token:ro`);
      }
      if (svc === 'deployer') mounts.push('-v', `${TEST_JOB_DIR}:/artifacts:ro`);
      started.push(name);
      await podman(['run', '-d', ...(await runArgs(name)), ...envArgs(env), ...mounts, IMAGE, svc]);
    }
    for (const svc of SERVICES) {
      await eventually(`${svc} ready`, async () => (await fetch(`http://127.0.0.1:${ports[svc]}/health/ready`).catch(() => null))?.status ?? 0, (s) => s === 200, {
        timeoutMs: 120_000,
        intervalMs: 1000,
      }).catch(async (err: unknown) => {
        const { stdout, stderr } = await podman(['logs', '--tail', '30', containerName(svc)]).catch(() => ({ stdout: '', stderr: '' }));
        throw new Error(`${String(err)}\n--- ${svc} ---\n${stdout}${stderr}`);
      });
    }
    // The image's HEALTHCHECK agrees (podman runs it on demand: no systemd timers here).
    for (const svc of SERVICES) await expect(podman(['healthcheck', 'run', containerName(svc)])).resolves.toBeDefined();
  }, 300_000);

  it('serves the web console at / from the image, under a self-only Content-Security-Policy', async () => {
    const base = `http://127.0.0.1:${ports['spec-service']}`;
    const page = await fetch(`${base}/`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const script = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${base}${script}`);
    expect({ status: asset.status, type: asset.headers.get('content-type') }).toEqual({ status: 200, type: expect.stringMatching(/javascript/) });
  });

  it('applies a spec through the containerized spec-service and the job runs in Flink', async () => {
    const api = `http://127.0.0.1:${ports['spec-service']}/api/v1`;
    const auth = { Authorization: `Bearer ${world.adminToken}` };
    const put = await fetch(`${api}/jobs/${jobId}`, {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify(exampleSpec('stream-stateless.yaml', jobId)),
    });
    const body = await put.text();
    expect({ ok: put.ok, body: put.ok ? '' : body }).toEqual({ ok: true, body: '' });
    const job = await eventually(
      `${jobId} RUNNING`,
      async () => (await (await fetch(`${api}/jobs/${jobId}`, { headers: auth })).json()) as JobView,
      (j) => j.state === 'RUNNING' && j.flinkJobId !== null,
      { timeoutMs: 180_000, intervalMs: 1000 },
    );
    flinkJobId = job.flinkJobId;
    const details = await flink.job(job.flinkJobId as string);
    expect(details?.state).toBe('RUNNING');
  }, 240_000);

  it(`stops every service on SIGTERM with exit code 0 within the ${GRACE_S} s grace period`, async () => {
    // Reverse start order, as a rollout or npm start stops them.
    for (const svc of [...SERVICES].reverse()) {
      const name = containerName(svc);
      const startedAt = Date.now();
      await podman(['stop', '--time', String(GRACE_S), name], (GRACE_S + 30) * 1000);
      const seconds = (Date.now() - startedAt) / 1000;
      const { stdout } = await podman(['inspect', '--format', '{{.State.ExitCode}}', name]);
      // A container still running at the end of the grace period is killed: exit code 137.
      expect({ svc, exitCode: Number(stdout.trim()) }).toEqual({ svc, exitCode: 0 });
      expect(seconds).toBeLessThan(GRACE_S);
    }
  }, 300_000);
});
