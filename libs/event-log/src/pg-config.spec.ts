import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions, PeerCertificate } from 'node:tls';
import { pgClientConfig } from './pg-config';

// What Node's TLS hands checkServerIdentity: a certificate naming localhost only, and one naming the address.
const forLocalhost = { subject: { CN: 'localhost' }, subjectaltname: 'DNS:localhost' } as unknown as PeerCertificate;
const forAddress = { subject: { CN: 'db' }, subjectaltname: 'DNS:db, IP Address:10.1.2.3' } as unknown as PeerCertificate;

describe('pgClientConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fjc-pgcfg-'));
    writeFileSync(join(dir, 'ca.pem'), 'THE CA');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the URL with pg\'s own parser: server, role, database, and the CA of sslrootcert', () => {
    const c = pgClientConfig(`postgres://fjc_deployer:pw@db.example:6432/fjc?sslmode=verify-full&sslrootcert=${join(dir, 'ca.pem')}`);
    expect([c.host, c.port, c.user, c.password, c.database]).toEqual(['db.example', 6432, 'fjc_deployer', 'pw', 'fjc']);
    const ssl = c.ssl as ConnectionOptions;
    expect(ssl.ca).toBe('THE CA');
    expect(ssl.rejectUnauthorized).not.toBe(false);
    // A host name goes to Node as the TLS server name, which checks it: nothing to add.
    expect(ssl.checkServerIdentity).toBeUndefined();
  });

  it('checks the certificate of a server reached by IP address against that address, not "localhost"', () => {
    const ssl = pgClientConfig(`postgres://u@10.1.2.3:5432/fjc?sslmode=verify-full&sslrootcert=${join(dir, 'ca.pem')}`).ssl as ConnectionOptions;
    expect(ssl.checkServerIdentity?.('localhost', forLocalhost)).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: expect.stringContaining('10.1.2.3') });
    expect(ssl.checkServerIdentity?.('localhost', forAddress)).toBeUndefined();
  });

  it('adds nothing without TLS, or where the URL turned verification off', () => {
    expect(pgClientConfig('postgres://u@10.1.2.3/fjc').ssl).toBeUndefined();
    expect(pgClientConfig('postgres://u@10.1.2.3/fjc?sslmode=disable').ssl).toBe(false);
    expect((pgClientConfig('postgres://u@10.1.2.3/fjc?sslmode=no-verify').ssl as ConnectionOptions).checkServerIdentity).toBeUndefined();
  });
});
