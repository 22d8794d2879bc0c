// Jar uploads against the real Flink and PostgreSQL: concurrent first deploys of one jar, in one
// deployer and in two, upload it once; an upload whose answer was lost is found in Flink's jar
// list instead of being sent again.
import { Pool } from 'pg';
import { OPEN_ARTIFACT_POLICY, validateSpec, type JobSpec } from '@fjc/contracts';
import { migrateDatabase } from '@fjc/event-log';
import { FlinkUnavailableError } from '@fjc/flink-client';
import { createTestDatabase, stackFlinkClient, TEST_JOB_DIR, type TestDatabase } from '@fjc/testing';
import type { DeployerConfig } from '../config/deployer-config';
import type { FlinkClient } from '../flink/flink-port';
import { DEPLOYER_MIGRATIONS } from '../migrations';
import { TEST_JAR, TEST_JAR_SHA } from '../testing/deployer-harness';
import { jarName, JarUploads } from './jar-uploads';

describe('JarUploads on the real stack', () => {
  let db: TestDatabase;
  let pool: Pool;
  const rest = stackFlinkClient();
  const config = { artifactRoots: [TEST_JOB_DIR], artifactAllowedHosts: [], artifactMaxBytes: 64 * 1024 * 1024, artifactDownloadTimeoutMs: 30_000, artifactPolicy: OPEN_ARTIFACT_POLICY } as unknown as DeployerConfig;
  const spec = (): JobSpec => {
    const r = validateSpec({ job_id: 'uploads', job_type: 'stream', artifact_path: TEST_JAR, artifact_signature: `sha256:${TEST_JAR_SHA}`, entry_class: 'dev.fjc.testjob.TestJob' });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.spec;
  };
  /** The real client, counting uploads; `loseAnswers` uploads reach Flink but their answer is lost. */
  const client = (counter: { uploads: number; loseAnswers?: number }): FlinkClient =>
    ({
      uploadJar: async (path: string, name: string) => {
        counter.uploads += 1;
        const id = await rest.uploadJar(path, name);
        if ((counter.loseAnswers ?? 0) > 0) {
          counter.loseAnswers = (counter.loseAnswers ?? 0) - 1;
          throw new FlinkUnavailableError('connection reset after the upload was sent');
        }
        return id;
      },
      listJarFiles: () => rest.listJarFiles(),
    }) as unknown as FlinkClient;
  const ours = async () => (await rest.listJarFiles()).filter((f) => f.name === jarName(TEST_JAR_SHA));
  const clean = async () => {
    for (const f of await ours()) await rest.deleteJar(f.id);
    await pool.query('delete from deployer_jars');
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateDatabase(db.url, DEPLOYER_MIGRATIONS);
    pool = new Pool({ connectionString: db.url, max: 10 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
    await rest.close();
  });
  beforeEach(() => clean());

  it('uploads a jar once when two first deploys of it run at once, in one deployer and in two', async () => {
    const counter = { uploads: 0 };
    const one = new JarUploads(pool, config);
    const other = new JarUploads(pool, config);
    const results = await Promise.all([one, one, other, other].map((u) => u.ensureJar(spec(), 'default', client(counter), { reupload: false })));
    expect(counter.uploads).toBe(1);
    const ids = new Set(results.map((r) => (r.ok ? r.jarId : r.code)));
    expect(ids.size).toBe(1);
    expect((await ours()).map((f) => f.id)).toEqual([...ids]);
  });

  it('takes a jar whose upload answer was lost from Flink\'s jar list on the next try, instead of uploading it again', async () => {
    const counter = { uploads: 0, loseAnswers: 1 };
    const uploads = new JarUploads(pool, config);
    await expect(uploads.ensureJar(spec(), 'default', client(counter), { reupload: false })).rejects.toBeInstanceOf(FlinkUnavailableError);
    const again = await uploads.ensureJar(spec(), 'default', client(counter), { reupload: false });
    expect(counter.uploads).toBe(1);
    const listed = await ours();
    expect(listed).toHaveLength(1);
    expect(again).toMatchObject({ ok: true, jarId: listed[0]?.id });
  });

  it('uploads again, once, when Flink forgot the jar (reupload)', async () => {
    const counter = { uploads: 0 };
    const uploads = new JarUploads(pool, config);
    const first = await uploads.ensureJar(spec(), 'default', client(counter), { reupload: false });
    for (const f of await ours()) await rest.deleteJar(f.id); // a restarted JobManager
    const [a, b] = await Promise.all([0, 1].map(() => uploads.ensureJar(spec(), 'default', client(counter), { reupload: true })));
    expect(counter.uploads).toBe(2);
    expect(a).toEqual(b);
    expect(a).not.toEqual(first);
    expect(await ours()).toHaveLength(1);
  });
});
