// PostgreSQL that takes only TLS (the stack's PG_SECURITY=tls; infra/postgres/secure.sh): the
// owner connects with sslmode=verify-full and a client certificate, runs the migration step, and
// stores each service's password (FJC_PG_PASSWORD_DIR) as a SCRAM-SHA-256 verifier; each
// service's role then connects with verify-full and its password and does its job, and nothing
// else. The server refuses plain TCP and wrong passwords; FJC refuses a server whose certificate
// its CA did not sign, with coded errors (FJC_PG_TLS_UNTRUSTED, FJC_PG_TLS_REQUIRED,
// FJC_PG_AUTH_FAILED), and a service started so waits (FJC_DEPENDENCY_WAITING) instead of exiting.
// A service role may log in by client certificate instead of a password.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client, Pool } from 'pg';
import {
  appendToStream,
  assertSchemaMigrated,
  databaseOf,
  inTransaction,
  PgConnectError,
  serviceDatabaseUrl,
  serviceRoleName,
  type NewEvent,
} from '@fjc/event-log';
import { eventually, isolatedWorld, migrateWorld, ServiceProcess, stackEnv, stackKafkaSecurityEnv, stackPostgresSecurityEnv, type FjcServiceName, type IsolatedWorld } from '@fjc/testing';

const SERVICES: readonly FjcServiceName[] = ['spec-service', 'reconciler', 'scheduler', 'deployer'];
const OWN_EVENT: Record<FjcServiceName, string> = { 'spec-service': 'SpecUpdated', reconciler: 'LifecycleChanged', scheduler: 'ScheduleTick', deployer: 'ActionSucceeded' };
// A real CA, only not PostgreSQL's: the one the stack made for Kafka.
const wrongCaFile = () => stackKafkaSecurityEnv().FJC_KAFKA_SSL_CA_FILE as string;
const passwordDir = () => {
  const dir = stackPostgresSecurityEnv().FJC_PG_PASSWORD_DIR;
  if (!dir) throw new Error('FJC_PG_PASSWORD_DIR is not set: run this suite through test/secure/run-secure.sh');
  return dir;
};
const withParam = (url: string, name: string, value: string | null) => {
  const u = new URL(url);
  if (value === null) u.searchParams.delete(name);
  else u.searchParams.set(name, value);
  return u.href;
};

function event(type: string, producer: string): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    jobId: 'tls-job',
    payload: {},
    metadata: { producer, actor: { kind: 'service', id: producer }, correlationId: randomUUID(), causationId: null },
    occurredAt: new Date(),
  };
}

async function connectError(url: string): Promise<Error & { code?: string }> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
  } catch (err) {
    return err as Error & { code?: string };
  } finally {
    await c.end().catch(() => undefined);
  }
  throw new Error('PostgreSQL accepted the connection');
}

describe('PostgreSQL over TLS only (verify-full, scram-sha-256)', () => {
  let world: IsolatedWorld;
  let owner: Pool;
  // What a service connects with: DATABASE_URL's server and TLS settings, its role, its password.
  const serviceUrl = (s: FjcServiceName, env: Record<string, string> = {}) => serviceDatabaseUrl(s, { DATABASE_URL: world.db.url, FJC_PG_PASSWORD_DIR: passwordDir(), ...env });

  beforeAll(async () => {
    // isolatedWorld runs the migration step (the four migrate-main entries) with the owner's URL.
    world = await isolatedWorld();
    owner = new Pool({ connectionString: world.db.url, max: 2 });
  }, 120_000);

  afterAll(async () => {
    await owner?.end();
    await world?.close();
  });

  it('is the TLS-only cluster of this suite: verify-full with its CA, the owner by certificate, only hostssl rules', async () => {
    const url = new URL(stackEnv('DATABASE_URL'));
    expect(url.searchParams.get('sslmode')).toBe('verify-full');
    expect(readFileSync(url.searchParams.get('sslrootcert') as string, 'utf8')).toContain('BEGIN CERTIFICATE');
    const session = await owner.query<{ ssl: boolean; user: string; enc: string }>(
      `select s.ssl, current_user as user, current_setting('password_encryption') as enc from pg_stat_ssl s where s.pid = pg_backend_pid()`,
    );
    expect(session.rows).toEqual([{ ssl: true, user: 'postgres', enc: 'scram-sha-256' }]);
    const rules = await owner.query<{ type: string; auth_method: string; user_name: string[] }>('select type, auth_method, user_name from pg_hba_file_rules');
    expect(rules.rows.length).toBeGreaterThan(0);
    expect(new Set(rules.rows.map((r) => r.type))).toEqual(new Set(['hostssl']));
    expect(new Set(rules.rows.map((r) => `${r.user_name.join(',')}:${r.auth_method}`))).toEqual(new Set(['postgres:cert', '+fjc_cert_login:cert', 'all:scram-sha-256']));
  });

  it('the migration step, run over verify-full as the owner, stored every service password as a SCRAM-SHA-256 verifier', async () => {
    const roles = SERVICES.map((s) => serviceRoleName(s, databaseOf(world.db.url)));
    const res = await owner.query<{ rolname: string; scram: boolean }>(
      `select rolname, rolpassword like 'SCRAM-SHA-256$%' as scram from pg_authid where rolname = any($1) order by rolname`,
      [roles],
    );
    expect(res.rows).toEqual([...roles].sort().map((rolname) => ({ rolname, scram: true })));
  });

  describe.each(SERVICES)('as %s', (s) => {
    it('connects with verify-full and its password, appends its own events and nothing else, and cannot rewrite the log', async () => {
      const url = serviceUrl(s);
      expect(new URL(url).searchParams.get('sslmode')).toBe('verify-full');
      // The owner's client certificate stays with the owner.
      expect(new URL(url).searchParams.has('sslcert')).toBe(false);
      await expect(assertSchemaMigrated(url, s, [])).resolves.toBeUndefined();
      const pool = new Pool({ connectionString: url, max: 1 });
      try {
        const who = await pool.query<{ user: string; ssl: boolean }>('select current_user as user, s.ssl from pg_stat_ssl s where s.pid = pg_backend_pid()');
        expect(who.rows).toEqual([{ user: serviceRoleName(s, databaseOf(world.db.url)), ssl: true }]);
        await inTransaction(pool, (tx) => appendToStream(tx, `${s}-tls-${randomUUID()}`, 'any', [event(OWN_EVENT[s], s)]));
        const foreign = s === 'spec-service' ? 'ActionSucceeded' : 'SpecUpdated';
        await expect(inTransaction(pool, (tx) => appendToStream(tx, `forged-${randomUUID()}`, 'any', [event(foreign, s)]))).rejects.toMatchObject({ code: '42501' });
        await expect(pool.query('delete from event_log')).rejects.toMatchObject({ code: '42501' });
      } finally {
        await pool.end();
      }
    });
  });

  it('a service role can log in by client certificate instead (FJC_SERVICE_DATABASE_URL with sslcert and sslkey); a certificate for another role is refused', async () => {
    const certWorld = await isolatedWorld();
    const dir = mkdtempSync(join(tmpdir(), 'fjc-pg-cert-'));
    const role = serviceRoleName('deployer', databaseOf(certWorld.db.url));
    try {
      // Members of fjc_cert_login log in by certificate (the stack's pg_hba.conf).
      await owner.query(`grant fjc_cert_login to "${role}"`);
      const caDir = dirname(new URL(certWorld.db.url).searchParams.get('sslrootcert') as string);
      const certFor = (cn: string) => {
        const [key, csr, crt] = [join(dir, `${cn}.key`), join(dir, `${cn}.csr`), join(dir, `${cn}.crt`)];
        execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', key, '-out', csr], { stdio: 'ignore' });
        execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', join(caDir, 'ca.pem'), '-CAkey', join(caDir, 'ca.key'), '-CAcreateserial', '-CAserial', join(dir, 'ca.srl'), '-days', '1', '-out', crt], { stdio: 'ignore' });
        return { key, crt };
      };
      const urlWith = (cert: { key: string; crt: string }) => {
        const u = new URL(certWorld.db.url);
        u.username = role;
        u.searchParams.set('sslcert', cert.crt);
        u.searchParams.set('sslkey', cert.key);
        return u.href;
      };
      // What the deployer would connect with: its URL as given, no password folder.
      const url = serviceDatabaseUrl('deployer', { FJC_SERVICE_DATABASE_URL: urlWith(certFor(role)) });
      expect(new URL(url).password).toBe('');
      await expect(assertSchemaMigrated(url, 'deployer', [])).resolves.toBeUndefined();
      const pool = new Pool({ connectionString: url, max: 1 });
      try {
        const who = await pool.query<{ user: string; ssl: boolean; cn: string }>('select current_user as user, s.ssl, s.client_dn as cn from pg_stat_ssl s where s.pid = pg_backend_pid()');
        expect(who.rows).toEqual([{ user: role, ssl: true, cn: `/CN=${role}` }]);
        await inTransaction(pool, (tx) => appendToStream(tx, `deployer-cert-${randomUUID()}`, 'any', [event('ActionSucceeded', 'deployer')]));
      } finally {
        await pool.end();
      }
      const other = serviceDatabaseUrl('deployer', { FJC_SERVICE_DATABASE_URL: urlWith(certFor(serviceRoleName('reconciler', databaseOf(certWorld.db.url)))) });
      await expect(assertSchemaMigrated(other, 'deployer', [])).rejects.toMatchObject({ code: 'FJC_PG_AUTH_FAILED' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await certWorld.close();
    }
  }, 120_000);

  it('refuses a plain TCP connection (server) with FJC_PG_TLS_REQUIRED, and a wrong password with FJC_PG_AUTH_FAILED', async () => {
    const plain = withParam(serviceUrl('deployer'), 'sslmode', 'disable');
    const noTls = await connectError(plain);
    expect(noTls.code).toBe('28000');
    expect(noTls.message).toMatch(/no encryption/);
    await expect(assertSchemaMigrated(plain, 'deployer', [])).rejects.toMatchObject({ code: 'FJC_PG_TLS_REQUIRED', message: expect.stringContaining('takes only TLS connections') });

    const dir = mkdtempSync(join(tmpdir(), 'fjc-pg-wrong-'));
    try {
      writeFileSync(join(dir, 'deployer'), 'not-the-password\n');
      const wrong = serviceUrl('deployer', { FJC_PG_PASSWORD_DIR: dir });
      expect((await connectError(wrong)).code).toBe('28P01');
      const err = await assertSchemaMigrated(wrong, 'deployer', []).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PgConnectError);
      expect(err).toMatchObject({ code: 'FJC_PG_AUTH_FAILED' });
      expect((err as Error).message).toContain(`role ${serviceRoleName('deployer', databaseOf(world.db.url))}`);
      expect((err as Error).message).not.toContain('not-the-password');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The owner without its client certificate is refused too.
    const noCert = withParam(withParam(world.db.url, 'sslcert', null), 'sslkey', null);
    expect((await connectError(noCert)).message).toMatch(/certificate/);
  });

  it('refuses a server whose certificate its CA did not sign: FJC_PG_TLS_UNTRUSTED, in the migration step and in a service check', async () => {
    const wrongOwner = withParam(world.db.url, 'sslrootcert', wrongCaFile());
    await expect(migrateWorld(wrongOwner)).rejects.toThrow(/spec-service: FJC_PG_TLS_UNTRUSTED: PostgreSQL at 127\.0\.0\.1:\d+: its certificate is not trusted \(SELF_SIGNED_CERT_IN_CHAIN\)/);
    const err = await assertSchemaMigrated(withParam(serviceUrl('scheduler'), 'sslrootcert', wrongCaFile()), 'scheduler', []).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FJC_PG_TLS_UNTRUSTED', message: expect.stringContaining('check sslrootcert') });
  });

  it('a service whose CA is wrong waits, not ready, logging FJC_DEPENDENCY_WAITING with FJC_PG_TLS_UNTRUSTED, and does not exit', async () => {
    const svc = new ServiceProcess('reconciler', { ...world.env, FJC_SERVICE_DATABASE_URL: withParam(serviceDatabaseUrl('reconciler', { DATABASE_URL: world.db.url }), 'sslrootcert', wrongCaFile()) });
    const started = svc.start(30_000).then(
      () => 'ready',
      (e: Error) => e.message,
    );
    try {
      const logs = await eventually(
        'the reconciler waits on an untrusted PostgreSQL',
        async () => svc.logs(200),
        (l) => /FJC_DEPENDENCY_WAITING/.test(l) && /FJC_PG_TLS_UNTRUSTED/.test(l),
        { timeoutMs: 25_000, intervalMs: 250 },
      );
      expect(logs).toMatch(/"dependency":"postgres"/);
      expect(svc.exited).toBe(false);
      const ready = await fetch(`${svc.url}/health/ready`).then((r) => r.status, () => 'not listening');
      expect(ready).not.toBe(200);
    } finally {
      await svc.stop();
      await started;
    }
  }, 90_000);
});
