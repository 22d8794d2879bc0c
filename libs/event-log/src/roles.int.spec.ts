// The migration step's role provisioning on the real server: a role's password is stored as the
// SCRAM-SHA-256 verifier PostgreSQL itself would compute (never sent in clear), provisioning is
// idempotent, and it leaves the role exactly the grants listed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@fjc/testing';
import { databaseOf, migrateService, scramSha256Verifier, serviceRoleName, type ServiceSchema } from './index';

const SCHEMA: ServiceSchema = { service: 'checker', migrations: [], eventTypes: ['TestHappened'], tables: {} };

function saltOf(verifier: string): { iterations: number; salt: Buffer } {
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(verifier);
  if (!m) throw new Error(`not a SCRAM verifier: ${verifier.slice(0, 14)}...`);
  return { iterations: Number(m[1]), salt: Buffer.from(m[2], 'base64') };
}

describe('service roles (real PostgreSQL)', () => {
  let db: TestDatabase;
  let owner: Pool;
  let dir: string;
  const stored = async (role: string) => (await owner.query<{ p: string }>('select rolpassword as p from pg_authid where rolname = $1', [role])).rows[0].p;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = new Pool({ connectionString: db.url, max: 1 });
    dir = mkdtempSync(join(tmpdir(), 'fjc-pg-pw-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await owner?.end();
    await db?.drop();
  });

  it('computes the verifier PostgreSQL computes for the same password and salt', async () => {
    const role = serviceRoleName('scram_probe', databaseOf(db.url));
    await owner.query(`create role ${role}`);
    await owner.query(`set password_encryption = 'scram-sha-256'`);
    await owner.query(`alter role ${role} password 'pä ss''word'`);
    const theirs = await stored(role);
    const { salt, iterations } = saltOf(theirs);
    expect(scramSha256Verifier("pä ss'word", salt, iterations)).toBe(theirs);
  });

  it('sets the role password from FJC_PG_PASSWORD_DIR as a verifier, and again on every run', async () => {
    writeFileSync(join(dir, 'checker'), 'first secret\n', { mode: 0o600 });
    const env = { FJC_PG_PASSWORD_DIR: dir };
    const { role } = await migrateService(db.url, SCHEMA, env);
    expect(role).toBe(`${databaseOf(db.url)}_checker`);
    const first = await stored(role);
    expect(first).toBe(scramSha256Verifier('first secret', saltOf(first).salt, saltOf(first).iterations));
    writeFileSync(join(dir, 'checker'), 'second secret', { mode: 0o600 });
    const { applied } = await migrateService(db.url, SCHEMA, env);
    expect(applied).toEqual([]);
    const second = await stored(role);
    expect(second).toBe(scramSha256Verifier('second secret', saltOf(second).salt, saltOf(second).iterations));
  });

  it('refuses a missing password file with a coded error naming the variable, before changing anything', async () => {
    await expect(migrateService(db.url, { ...SCHEMA, service: 'nobody' }, { FJC_PG_PASSWORD_DIR: dir })).rejects.toMatchObject({
      code: 'FJC_PG_ROLE_CONFIG',
      message: expect.stringMatching(/FJC_PG_PASSWORD_DIR: cannot read the password file of nobody/),
    });
  });

  it('leaves a role exactly the grants listed', async () => {
    const role = serviceRoleName('checker', databaseOf(db.url));
    await owner.query(`grant delete on event_log to ${role}`);
    await migrateService(db.url, SCHEMA, {});
    const res = await owner.query<{ t: string; p: string }>(
      `select table_name as t, string_agg(privilege_type, ',' order by privilege_type) as p from information_schema.role_table_grants
        where grantee = $1 group by table_name order by table_name`,
      [role],
    );
    expect(res.rows).toEqual([
      { t: 'event_log', p: 'INSERT,SELECT' },
      { t: 'event_log_anchor', p: 'SELECT' },
      { t: 'inbox', p: 'DELETE,INSERT,SELECT,UPDATE' },
      { t: 'log_checkpoint', p: 'DELETE,INSERT,SELECT,UPDATE' },
      { t: 'log_writers', p: 'SELECT' },
      { t: 'schema_migrations', p: 'SELECT' },
    ]);
  });
});
