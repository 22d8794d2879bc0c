// What the deployer reads and uploads, against the real Flink and PostgreSQL (issue 12, items 5
// and 6): a symlink out of the artifact root, a jar swapped after hashing, downloads over the
// size cap or past the deadline from a local https server, Ed25519 signatures made with the
// openssl commands docs/artifacts.md gives, and a namespace policy that requires a signature.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { Agent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici';
import { ArtifactPolicySchema, OPEN_ARTIFACT_POLICY, validateSpec, type ArtifactPolicy, type JobSpec } from '@fjc/contracts';
import { migrateDatabase } from '@fjc/event-log';
import { createTestDatabase, stackEnv, stackFlinkClient, type TestDatabase } from '@fjc/testing';
import type { DeployerConfig } from '../config/deployer-config';
import type { FlinkClient } from '../flink/flink-port';
import { DEPLOYER_MIGRATIONS } from '../migrations';
import { TEST_JAR_FILE, TEST_JAR_SHA } from '../testing/deployer-harness';
import { jarName, JarUploads } from './jar-uploads';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const openssl = (...args: string[]) => execFileSync('openssl', args);

describe('artifacts and signatures on the real stack', () => {
  let db: TestDatabase;
  let pool: Pool;
  let uploadDir: string;
  const rest = stackFlinkClient();
  const base = mkdtempSync(join(tmpdir(), 'fjc-artifacts-int-'));
  const root = join(base, 'root');
  const jarBytes = readFileSync(TEST_JAR_FILE);
  const tampered = Buffer.from(jarBytes);
  tampered[tampered.length >> 1] = (tampered[tampered.length >> 1] ?? 0) ^ 0xff;

  const config = (overrides: Partial<DeployerConfig> = {}): DeployerConfig =>
    ({
      artifactRoots: [root],
      artifactAllowedHosts: ['localhost'],
      artifactMaxBytes: 64 * 1024 * 1024,
      artifactDownloadTimeoutMs: 30_000,
      artifactPolicy: OPEN_ARTIFACT_POLICY,
      ...overrides,
    }) as DeployerConfig;
  const spec = (overrides: Record<string, unknown>): JobSpec => {
    const r = validateSpec({ job_id: 'artifacts', job_type: 'stream', artifact_path: 'job.jar', entry_class: 'dev.fjc.testjob.TestJob', ...overrides });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.spec;
  };
  /** The real client, counting uploads; `beforeUpload` runs between the hashing and the upload. */
  const client = (counter: { uploads: number }, beforeUpload: () => void = () => undefined): FlinkClient =>
    ({
      uploadJar: async (path: string, name: string) => {
        counter.uploads += 1;
        beforeUpload();
        return rest.uploadJar(path, name);
      },
      listJarFiles: () => rest.listJarFiles(),
    }) as unknown as FlinkClient;
  /** The bytes Flink stored for an uploaded jar, read from the JobManager's upload directory. */
  const received = (jarId: string) => readFileSync(join(uploadDir, 'flink-web-upload', jarId));
  const clean = async () => {
    for (const f of await rest.listJarFiles()) if (f.name.startsWith('fjc-')) await rest.deleteJar(f.id);
    await pool.query('delete from deployer_jars');
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateDatabase(db.url, DEPLOYER_MIGRATIONS);
    pool = new Pool({ connectionString: db.url, max: 4 });
    const flinkConfig = (await (await fetch(`${stackEnv('FLINK_REST_URL')}/jobmanager/config`)).json()) as { key: string; value: string }[];
    uploadDir = flinkConfig.find((e) => e.key === 'web.upload.dir')?.value ?? '';
    expect(uploadDir).not.toBe('');
  });
  beforeEach(async () => {
    rmSync(base, { recursive: true, force: true });
    mkdirSync(join(base, 'outside'), { recursive: true });
    mkdirSync(root);
    writeFileSync(join(root, 'job.jar'), jarBytes);
    await clean();
  });
  afterAll(async () => {
    await clean();
    await pool?.end();
    await db?.drop();
    await rest.close();
    rmSync(base, { recursive: true, force: true });
  });

  describe('local jars', () => {
    it('refuses a symlink inside the root to a jar outside it, with a message that names no path', async () => {
      copyFileSync(TEST_JAR_FILE, join(base, 'outside', 'job.jar'));
      symlinkSync(join(base, 'outside', 'job.jar'), join(root, 'link.jar'));
      const counter = { uploads: 0 };
      const refused = await new JarUploads(pool, config()).ensureJar(spec({ artifact_path: 'link.jar' }), 'default', client(counter), { reupload: false });
      expect(refused).toMatchObject({ ok: false, code: 'FJC_ARTIFACT_NOT_FOUND', retryable: false });
      // The same answer as for a path that does not exist: events do not tell which files exist.
      const missing = await new JarUploads(pool, config()).ensureJar(spec({ artifact_path: 'missing.jar' }), 'default', client(counter), { reupload: false });
      expect(refused.ok ? null : refused.message).toBe(missing.ok ? '' : missing.message);
      expect(refused.ok ? '' : refused.message).not.toContain(base);
      expect(refused.ok ? '' : refused.detail).toContain(join(base, 'outside'));
      const viaUrl = await new JarUploads(pool, config()).ensureJar(spec({ artifact_path: `file://${join(root, 'link.jar')}` }), 'default', client(counter), { reupload: false });
      expect(viaUrl).toMatchObject({ ok: false, code: 'FJC_ARTIFACT_NOT_FOUND' });
      expect(counter.uploads).toBe(0);
    });

    it('uploads the bytes it hashed: a jar swapped between hashing and upload changes nothing Flink receives', async () => {
      const counter = { uploads: 0 };
      const swap = () => writeFileSync(join(root, 'job.jar'), tampered);
      const got = await new JarUploads(pool, config()).ensureJar(spec({ artifact_signature: `sha256:${TEST_JAR_SHA}` }), 'default', client(counter, swap), { reupload: false });
      expect(got).toMatchObject({ ok: true, sha256: TEST_JAR_SHA });
      expect(counter.uploads).toBe(1);
      expect(sha256(readFileSync(join(root, 'job.jar')))).not.toBe(TEST_JAR_SHA); // the swap happened
      expect(sha256(received(got.ok ? got.jarId : ''))).toBe(TEST_JAR_SHA);
    });

    it('takes a spec without artifact_signature and reports the digest of what it uploaded', async () => {
      const counter = { uploads: 0 };
      const got = await new JarUploads(pool, config()).ensureJar(spec({}), 'default', client(counter), { reupload: false });
      expect(got).toMatchObject({ ok: true, sha256: TEST_JAR_SHA });
      expect(sha256(received(got.ok ? got.jarId : ''))).toBe(TEST_JAR_SHA);
      expect((await rest.listJarFiles()).filter((f) => f.name === jarName(TEST_JAR_SHA))).toHaveLength(1);
    });

    it('refuses a local jar over the size cap before uploading', async () => {
      const counter = { uploads: 0 };
      const refused = await new JarUploads(pool, config({ artifactMaxBytes: 1024 })).ensureJar(spec({}), 'default', client(counter), { reupload: false });
      expect(refused).toMatchObject({ ok: false, code: 'FJC_ARTIFACT_TOO_LARGE', retryable: false });
      expect(counter.uploads).toBe(0);
    });
  });

  describe('https downloads from a local server', () => {
    let server: Server;
    let port: number;
    let before: Dispatcher;
    /** How the server answers: the whole jar with its length, chunked without a length, or slowly. */
    let mode: 'length' | 'chunked' | 'slow' = 'length';

    beforeAll(async () => {
      const tls = mkdtempSync(join(tmpdir(), 'fjc-artifacts-tls-'));
      openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost',
        '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(tls, 'key.pem'), '-out', join(tls, 'cert.pem'));
      const cert = readFileSync(join(tls, 'cert.pem'));
      server = createServer({ key: readFileSync(join(tls, 'key.pem')), cert }, (_req, res) => {
        if (mode === 'length') {
          res.writeHead(200, { 'content-length': String(jarBytes.length) }).end(jarBytes);
        } else if (mode === 'chunked') {
          res.writeHead(200);
          for (let i = 0; i < jarBytes.length; i += 1024) res.write(jarBytes.subarray(i, i + 1024));
          res.end();
        } else {
          res.writeHead(200);
          const timer = setInterval(() => res.write(jarBytes.subarray(0, 16)), 200);
          res.on('close', () => clearInterval(timer));
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      before = getGlobalDispatcher();
      setGlobalDispatcher(new Agent({ connect: { ca: cert } }));
      rmSync(tls, { recursive: true, force: true });
    });
    afterAll(async () => {
      setGlobalDispatcher(before);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    const url = () => `https://localhost:${port}/job.jar`;

    it('downloads and uploads a jar under the cap', async () => {
      mode = 'chunked';
      const counter = { uploads: 0 };
      const got = await new JarUploads(pool, config()).ensureJar(spec({ artifact_path: url(), artifact_signature: `sha256:${TEST_JAR_SHA}` }), 'default', client(counter), { reupload: false });
      expect(got).toMatchObject({ ok: true, sha256: TEST_JAR_SHA });
      expect(counter.uploads).toBe(1);
    });

    it('refuses an oversized download at the cap, announced or not, with zero uploads', async () => {
      const counter = { uploads: 0 };
      const uploads = new JarUploads(pool, config({ artifactMaxBytes: 5000 }));
      for (const m of ['length', 'chunked'] as const) {
        mode = m;
        const refused = await uploads.ensureJar(spec({ artifact_path: url() }), 'default', client(counter), { reupload: false });
        expect(refused).toMatchObject({ ok: false, code: 'FJC_ARTIFACT_TOO_LARGE', retryable: false });
        expect(refused.ok ? '' : refused.message).not.toContain(String(port));
      }
      expect(counter.uploads).toBe(0);
    });

    it('gives up a download that runs past the overall deadline', async () => {
      mode = 'slow';
      const counter = { uploads: 0 };
      const started = Date.now();
      const refused = await new JarUploads(pool, config({ artifactDownloadTimeoutMs: 1500 })).ensureJar(spec({ artifact_path: url() }), 'default', client(counter), { reupload: false });
      expect(refused).toMatchObject({ ok: false, code: 'FJC_ARTIFACT_TIMEOUT', retryable: true });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(counter.uploads).toBe(0);
    });
  });

  describe('Ed25519 signatures and the namespace policy', () => {
    const keys = mkdtempSync(join(tmpdir(), 'fjc-artifacts-keys-'));
    let policy: ArtifactPolicy;
    let signature: string;

    beforeAll(() => {
      // The commands of docs/artifacts.md.
      openssl('genpkey', '-algorithm', 'ed25519', '-out', join(keys, 'release.key'));
      openssl('pkey', '-in', join(keys, 'release.key'), '-pubout', '-out', join(keys, 'release.pub'));
      writeFileSync(join(keys, 'job.jar'), jarBytes);
      signature = `ed25519:${openssl('pkeyutl', '-sign', '-inkey', join(keys, 'release.key'), '-rawin', '-in', join(keys, 'job.jar')).toString('base64')}`;
      policy = ArtifactPolicySchema.parse({
        trusted_keys: { release: readFileSync(join(keys, 'release.pub'), 'utf8') },
        namespaces: { payments: { require: 'signature' } },
      });
    });
    afterAll(() => rmSync(keys, { recursive: true, force: true }));

    it('uploads a jar signed by a trusted key', async () => {
      const counter = { uploads: 0 };
      const got = await new JarUploads(pool, config({ artifactPolicy: policy })).ensureJar(spec({ namespace: 'payments', artifact_signature: signature }), 'default', client(counter), { reupload: false });
      expect(got).toMatchObject({ ok: true, sha256: TEST_JAR_SHA });
      expect(counter.uploads).toBe(1);
    });

    it('refuses the same jar with one byte changed, with zero uploads', async () => {
      writeFileSync(join(root, 'job.jar'), tampered);
      const counter = { uploads: 0 };
      const refused = await new JarUploads(pool, config({ artifactPolicy: policy })).ensureJar(spec({ namespace: 'payments', artifact_signature: signature }), 'default', client(counter), { reupload: false });
      expect(refused).toMatchObject({ ok: false, code: 'FJC_ARTIFACT_SIGNATURE_MISMATCH', retryable: false });
      expect(counter.uploads).toBe(0);
      expect((await rest.listJarFiles()).filter((f) => f.name.startsWith('fjc-'))).toEqual([]);
    });

    it('refuses, in a namespace that requires signatures, an unsigned jar, a digest only, and artifact_verification: false', async () => {
      const counter = { uploads: 0 };
      const uploads = new JarUploads(pool, config({ artifactPolicy: policy }));
      for (const overrides of [{}, { artifact_signature: `sha256:${TEST_JAR_SHA}` }, { artifact_signature: signature, security: { artifact_verification: false } }]) {
        const refused = await uploads.ensureJar(spec({ namespace: 'payments', ...overrides }), 'default', client(counter), { reupload: false });
        expect(refused).toMatchObject({ ok: false, code: 'FJC_ARTIFACT_POLICY_VIOLATION', retryable: false });
      }
      expect(counter.uploads).toBe(0);
    });
  });
});
