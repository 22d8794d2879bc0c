// What a refused PostgreSQL connection means, in FJC's codes: an untrusted server certificate
// (sslmode=verify-full with the wrong sslrootcert, or a host name the certificate does not name),
// a server that takes only TLS while the URL asks for none (or the reverse), and a refused
// password or client certificate. The messages name the server and the setting to check, never
// the URL (it may hold a password).

export type PgConnectCode = 'FJC_PG_TLS_UNTRUSTED' | 'FJC_PG_TLS_REQUIRED' | 'FJC_PG_TLS_UNAVAILABLE' | 'FJC_PG_AUTH_FAILED';

export class PgConnectError extends Error {
  constructor(
    readonly code: PgConnectCode,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(`${code}: ${message}`);
    this.name = 'PgConnectError';
  }
}

// Node's (OpenSSL's) codes for a server certificate that does not verify against the CA or name the host.
const UNTRUSTED_SERVER = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH',
]);

function serverOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}`;
  } catch {
    return 'the configured server';
  }
}

function roleOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).username) || undefined;
  } catch {
    return undefined;
  }
}

/** The coded form of a connection failure (or of its cause, when a library wrapped it), or
 *  undefined when it is none of these (an outage, a missing role ...). */
export function pgConnectFailure(err: unknown, url: string, depth = 0): PgConnectError | undefined {
  if (typeof err !== 'object' || err === null || depth > 4) return undefined;
  if (err instanceof PgConnectError) return err;
  const own = ownFailure(err, url);
  return own ?? pgConnectFailure((err as { cause?: unknown }).cause, url, depth + 1);
}

function ownFailure(err: object, url: string): PgConnectError | undefined {
  const { code, message } = err as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  const at = `PostgreSQL at ${serverOf(url)}`;
  if (typeof code === 'string' && UNTRUSTED_SERVER.has(code)) {
    return new PgConnectError('FJC_PG_TLS_UNTRUSTED', `${at}: its certificate is not trusted (${code}): check sslrootcert (the CA file) and that the URL's host is named in the certificate`, err);
  }
  if (code === '28000' && /no encryption/i.test(text)) {
    return new PgConnectError('FJC_PG_TLS_REQUIRED', `${at} takes only TLS connections (${text}): set sslmode=verify-full and sslrootcert in the URL`, err);
  }
  if (/does not support SSL connections/i.test(text)) {
    return new PgConnectError('FJC_PG_TLS_UNAVAILABLE', `${at} does not offer TLS, but the URL's sslmode requires it`, err);
  }
  const role = roleOf(url);
  if (code === '28P01') {
    return new PgConnectError('FJC_PG_AUTH_FAILED', `${at} refused the password of role ${role ?? '(none)'} (28P01): check its file in FJC_PG_PASSWORD_DIR, and that the migration step ran with the same file`, err);
  }
  if (code === '28000' && /certificate/i.test(text)) {
    return new PgConnectError('FJC_PG_AUTH_FAILED', `${at} refused the client certificate of role ${role ?? '(none)'} (${text}): check sslcert and sslkey (the certificate's CN must be the role)`, err);
  }
  return undefined;
}
