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
  return line?.slice(name.length + 1);
}

export function stackEnv(name: 'DATABASE_URL' | 'KAFKA_BROKERS' | 'FLINK_REST_URL' | 'FJC_TEST_JOB_JAR'): string {
  const value = process.env[name] ?? fromStackEnv(name);
  if (!value) throw new Error(`${name} is not set: start the local stack with "npm run stack up" first`);
  return value;
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

/** A short random suffix so tests never collide on topic, group or database names. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
