// pg client settings from a PostgreSQL URL, libpq's TLS parameters included (sslmode,
// sslrootcert, sslcert, sslkey: read by pg-connection-string, pg's own parser), with one fix:
// for a URL whose host is an IP address pg gives Node's TLS no host name, and Node then checks
// the server's certificate against "localhost" instead of the address. Here the certificate must
// name the address itself (an IP subjectAltName), as libpq's sslmode=verify-full requires.
import { isIP } from 'node:net';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import type { ClientConfig } from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';

export function pgClientConfig(connectionString: string): ClientConfig {
  const config = parseIntoClientConfig(connectionString) as ClientConfig;
  const host = typeof config.host === 'string' ? config.host.replace(/^\[(.*)\]$/, '$1') : undefined;
  const ssl = config.ssl;
  if (host !== undefined && isIP(host) !== 0 && ssl !== undefined && ssl !== false) {
    const options = ssl === true ? {} : ssl;
    if (options.rejectUnauthorized !== false && options.checkServerIdentity === undefined) {
      config.ssl = { ...options, checkServerIdentity: (_name: string, cert: PeerCertificate) => checkServerIdentity(host, cert) };
    }
  }
  return config;
}
