// Test support for integration and scenario tests: where the local stack is, throwaway
// databases and unique names. Never imported by production code.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// libs/testing/src -> repository root.
const STACK_ENV = process.env.FJC_STACK_DIR
  ? join(process.env.FJC_STACK_DIR, 'stack.env')
  : join(__dirname, '..', '..', '..', '.stack', 'stack.env');

function fromStackEnv(name: string): string | undefined {
  if (!existsSync(STACK_ENV)) return undefined;
  const line = readFileSync(STACK_ENV, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}=`));
  const value = line?.slice(name.length + 1);
  // A value with shell metacharacters (a URL's '&') is single-quoted, for the shells that source the file.
  return value !== undefined && /^'[^']*'$/.test(value) ? value.slice(1, -1) : value;
}

export function stackEnv(name: 'DATABASE_URL' | 'KAFKA_BROKERS' | 'FLINK_REST_URL' | 'FJC_TEST_JOB_JAR'): string {
  const value = process.env[name] ?? fromStackEnv(name);
  if (!value) throw new Error(`${name} is not set: start the local stack with "npm run stack up" first`);
  return value;
}

/** The PostgreSQL settings of a TLS-only stack (PG_SECURITY=tls): the services' password folder;
 *  empty otherwise. The URL's TLS parameters are in DATABASE_URL itself. */
export function stackPostgresSecurityEnv(): Record<string, string> {
  const value = process.env.FJC_PG_PASSWORD_DIR ?? fromStackEnv('FJC_PG_PASSWORD_DIR');
  return value ? { FJC_PG_PASSWORD_DIR: value } : {};
}

/** What the stack states about itself when it may not know: KAFKA_VERSION is written only for a
 *  broker the stack started, not for one it found running and reused. */
export function stackStatement(name: 'KAFKA_VERSION' | 'FLINK_VERSION'): string | undefined {
  return process.env[name] || fromStackEnv(name) || undefined;
}

/** The Kafka TLS/SASL client settings of a secured stack (KAFKA_SECURITY=sasl_ssl), as the
 *  environment of FJC's clients; empty for a plaintext broker. */
export function stackKafkaSecurityEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['FJC_KAFKA_SECURITY_PROTOCOL', 'FJC_KAFKA_SSL_CA_FILE', 'FJC_KAFKA_SASL_MECHANISM', 'FJC_KAFKA_SASL_USERNAME', 'FJC_KAFKA_SASL_PASSWORD_FILE']) {
    const value = process.env[name] ?? fromStackEnv(name);
    if (value) out[name] = value;
  }
  return out;
}

/** How FJC's services reach the stack's Flink: FLINK_REST_URL, and for a Flink whose REST API takes
 *  only mutual TLS (FLINK_REST_SECURITY=mtls) the cluster file the stack wrote (FJC_CLUSTERS_FILE). */
export function stackFlinkEnv(): Record<string, string> {
  const file = process.env.FJC_CLUSTERS_FILE ?? fromStackEnv('FJC_CLUSTERS_FILE');
  return { FLINK_REST_URL: stackEnv('FLINK_REST_URL'), ...(file ? { FJC_CLUSTERS_FILE: file } : {}) };
}

/** The stack's Flink REST TLS material (CA, FJC's client certificate and key) as PEM text; empty
 *  for a plain-http Flink. */
export function stackFlinkTls(): { ca?: string; cert?: string; key?: string } {
  const read = (name: string) => {
    const file = process.env[name] ?? fromStackEnv(name);
    return file ? readFileSync(file, 'utf8') : undefined;
  };
  const [ca, cert, key] = [read('FLINK_REST_CA_FILE'), read('FLINK_REST_CERT_FILE'), read('FLINK_REST_KEY_FILE')];
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

/** A short random suffix so tests never collide on topic, group or database names. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
