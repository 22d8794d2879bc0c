import { PgConnectError, pgConnectFailure } from './pg-connect-errors';

const URL_ = 'postgres://fjc_deployer:secret-pw@db.example:6432/fjc?sslmode=verify-full&sslrootcert=/ca.pem';
const err = (code: string | undefined, message: string) => Object.assign(new Error(message), code === undefined ? {} : { code });

describe('pgConnectFailure', () => {
  it('codes an untrusted server certificate, naming the server and sslrootcert, never the password', () => {
    const e = pgConnectFailure(err('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), URL_);
    expect(e).toBeInstanceOf(PgConnectError);
    expect(e?.code).toBe('FJC_PG_TLS_UNTRUSTED');
    expect(e?.message).toMatch(/^FJC_PG_TLS_UNTRUSTED: PostgreSQL at db\.example:6432: .*SELF_SIGNED_CERT_IN_CHAIN.*sslrootcert/);
    expect(e?.message).not.toContain('secret-pw');
    expect(pgConnectFailure(err('ERR_TLS_CERT_ALTNAME_INVALID', 'Hostname/IP does not match'), URL_)?.code).toBe('FJC_PG_TLS_UNTRUSTED');
  });

  it('codes a server that takes only TLS, one that offers none, a refused password and a refused certificate', () => {
    expect(pgConnectFailure(err('28000', 'no pg_hba.conf entry for host "127.0.0.1", user "x", database "fjc", no encryption'), URL_)?.code).toBe('FJC_PG_TLS_REQUIRED');
    expect(pgConnectFailure(err(undefined, 'The server does not support SSL connections'), URL_)?.code).toBe('FJC_PG_TLS_UNAVAILABLE');
    const pw = pgConnectFailure(err('28P01', 'password authentication failed for user "fjc_deployer"'), URL_);
    expect(pw?.code).toBe('FJC_PG_AUTH_FAILED');
    expect(pw?.message).toContain('role fjc_deployer');
    expect(pw?.message).toContain('FJC_PG_PASSWORD_DIR');
    expect(pgConnectFailure(err('28000', 'connection requires a valid client certificate'), URL_)?.code).toBe('FJC_PG_AUTH_FAILED');
  });

  it('leaves outages and a missing role alone', () => {
    expect(pgConnectFailure(err('ECONNREFUSED', 'connect ECONNREFUSED'), URL_)).toBeUndefined();
    expect(pgConnectFailure(err('28000', 'role "fjc_deployer" does not exist'), URL_)).toBeUndefined();
    expect(pgConnectFailure(err('57P03', 'the database system is starting up'), URL_)).toBeUndefined();
  });
});
