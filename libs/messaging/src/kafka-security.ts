// How FJC's Kafka clients (the services, the relay, the CLI) reach a secured broker: TLS with a
// CA of the operator's (and optionally a client certificate), SASL SCRAM-SHA-256/512 or PLAIN.
// Read from the environment; a setting that is wrong is named in the error. Secrets are read
// from files (FJC_KAFKA_SASL_PASSWORD_FILE) so they never sit in a process listing or a log.
import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';

export const KAFKA_SECURITY_ENV = {
  protocol: 'FJC_KAFKA_SECURITY_PROTOCOL',
  caFile: 'FJC_KAFKA_SSL_CA_FILE',
  certFile: 'FJC_KAFKA_SSL_CERT_FILE',
  keyFile: 'FJC_KAFKA_SSL_KEY_FILE',
  mechanism: 'FJC_KAFKA_SASL_MECHANISM',
  username: 'FJC_KAFKA_SASL_USERNAME',
  password: 'FJC_KAFKA_SASL_PASSWORD',
  passwordFile: 'FJC_KAFKA_SASL_PASSWORD_FILE',
} as const;

const PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
const MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;

export class KafkaSecurityConfigError extends Error {
  readonly code = 'FJC_KAFKA_SECURITY_CONFIG';
  constructor(message: string) {
    super(`FJC_KAFKA_SECURITY_CONFIG: ${message}`);
    this.name = 'KafkaSecurityConfigError';
  }
}

export type KafkaSecurity = Pick<KafkaConfig, 'ssl' | 'sasl'>;

/** The ssl and sasl options of a kafkajs client; {} for PLAINTEXT (the default). */
export function kafkaSecurityFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): KafkaSecurity {
  const E = KAFKA_SECURITY_ENV;
  const protocol = (env[E.protocol] ?? 'PLAINTEXT').toUpperCase();
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new KafkaSecurityConfigError(`${E.protocol} must be one of ${PROTOCOLS.join(', ')}, got "${env[E.protocol]}"`);
  }
  const useTls = protocol === 'SSL' || protocol === 'SASL_SSL';
  const useSasl = protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
  const out: { ssl?: ConnectionOptions; sasl?: SASLOptions } = {};
  if (useTls) {
    const tls: ConnectionOptions = { rejectUnauthorized: true };
    if (env[E.caFile]) tls.ca = [readSetting(env, E.caFile)];
    if (env[E.certFile] || env[E.keyFile]) {
      if (!env[E.certFile] || !env[E.keyFile]) throw new KafkaSecurityConfigError(`${E.certFile} and ${E.keyFile} go together (a client certificate and its key)`);
      tls.cert = readSetting(env, E.certFile);
      tls.key = readSetting(env, E.keyFile);
    }
    out.ssl = tls;
  } else if (env[E.caFile] || env[E.certFile]) {
    throw new KafkaSecurityConfigError(`${E.caFile} / ${E.certFile} need ${E.protocol}=SSL or SASL_SSL, got ${protocol}`);
  }
  if (useSasl) {
    const mechanism = (env[E.mechanism] ?? 'scram-sha-512').toLowerCase();
    if (!(MECHANISMS as readonly string[]).includes(mechanism)) {
      throw new KafkaSecurityConfigError(`${E.mechanism} must be one of ${MECHANISMS.join(', ')}, got "${env[E.mechanism]}"`);
    }
    const username = env[E.username];
    if (!username) throw new KafkaSecurityConfigError(`${E.username} is required with ${E.protocol}=${protocol}`);
    const password = env[E.passwordFile] ? readSetting(env, E.passwordFile).trim() : env[E.password];
    if (!password) throw new KafkaSecurityConfigError(`${E.passwordFile} (or ${E.password}) is required with ${E.protocol}=${protocol}`);
    out.sasl = { mechanism: mechanism as (typeof MECHANISMS)[number], username, password } as SASLOptions;
  }
  return out;
}

function readSetting(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const file = env[name] as string;
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new KafkaSecurityConfigError(`${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}
