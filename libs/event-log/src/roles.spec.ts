import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { serviceDatabaseUrl, serviceRoleName } from './roles';

describe('service role names and URLs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fjc-roles-'));
    writeFileSync(join(dir, 'deployer'), 'p@ss:w/rd\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names a role after the database, or FJC_PG_ROLE_PREFIX', () => {
    expect(serviceRoleName('spec-service', 'fjc', {})).toBe('fjc_spec_service');
    expect(serviceRoleName('deployer', 'fjc', { FJC_PG_ROLE_PREFIX: 'prod' })).toBe('prod_deployer');
  });

  it('refuses a name PostgreSQL would cut or need quoting for', () => {
    expect(() => serviceRoleName('deployer', 'x'.repeat(60), {})).toThrow(/FJC_PG_ROLE_CONFIG: .*longer than PostgreSQL's 63 bytes; set a shorter FJC_PG_ROLE_PREFIX/);
    expect(() => serviceRoleName('deployer', 'my-db;drop', {})).toThrow(/FJC_PG_ROLE_CONFIG: .*only letters, digits and _/);
  });

  it('connects as the service role on DATABASE_URL\'s server, keeping its TLS settings', () => {
    const url = serviceDatabaseUrl('deployer', { DATABASE_URL: 'postgres://owner:ownerpw@db.example:5433/fjc?sslmode=verify-full&sslrootcert=/ca.pem' });
    expect(url).toBe('postgres://fjc_deployer@db.example:5433/fjc?sslmode=verify-full&sslrootcert=/ca.pem');
  });

  it('does not give a role taken from DATABASE_URL the owner\'s client certificate', () => {
    const url = new URL(serviceDatabaseUrl('deployer', { DATABASE_URL: 'postgres://postgres@db/fjc?sslmode=verify-full&sslrootcert=/ca.pem&sslcert=/owner.crt&sslkey=/owner.key' }));
    expect([url.username, url.searchParams.get('sslrootcert'), url.searchParams.has('sslcert'), url.searchParams.has('sslkey')]).toEqual(['fjc_deployer', '/ca.pem', false, false]);
    const given = new URL(serviceDatabaseUrl('deployer', { FJC_SERVICE_DATABASE_URL: 'postgres://fjc_deployer@db/fjc?sslmode=verify-full&sslcert=/d.crt&sslkey=/d.key' }));
    expect([given.searchParams.get('sslcert'), given.searchParams.get('sslkey')]).toEqual(['/d.crt', '/d.key']);
  });

  it('leaves pg a verifying TLS setting with the CA of sslrootcert (sslmode=verify-full)', () => {
    writeFileSync(join(dir, 'ca.pem'), 'THE CA');
    const url = serviceDatabaseUrl('deployer', { DATABASE_URL: `postgres://owner@db.example/fjc?sslmode=verify-full&sslrootcert=${join(dir, 'ca.pem')}` });
    const ssl = (new Client({ connectionString: url }) as unknown as { connectionParameters: { ssl: { ca?: string; rejectUnauthorized?: boolean } } }).connectionParameters.ssl;
    expect(ssl.ca).toBe('THE CA');
    expect(ssl.rejectUnauthorized).not.toBe(false);
  });

  it('takes FJC_SERVICE_DATABASE_URL as given, with the password from FJC_PG_PASSWORD_DIR', () => {
    const url = new URL(serviceDatabaseUrl('deployer', { FJC_SERVICE_DATABASE_URL: 'postgres://deploy_role@db/fjc?sslmode=verify-full', FJC_PG_PASSWORD_DIR: dir }));
    expect([url.username, decodeURIComponent(url.password), url.searchParams.get('sslmode')]).toEqual(['deploy_role', 'p@ss:w/rd', 'verify-full']);
  });

  it('names the variable, not the password, when the password file is missing', () => {
    expect(() => serviceDatabaseUrl('reconciler', { FJC_PG_PASSWORD_DIR: dir })).toThrow(/FJC_PG_ROLE_CONFIG: FJC_PG_PASSWORD_DIR: cannot read the password file of reconciler \(ENOENT\)/);
  });
});
