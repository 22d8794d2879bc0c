// FJC over a Kafka broker that takes only SASL_SSL: every service, the relay and the consumers
// connect with TLS (the stack's CA) and SCRAM-SHA-512 as the fjc user; the deployer reaches Flink's
// REST API over mutual TLS (the stack's cluster file); a stream job goes through apply, RUNNING in
// Flink and suspend, with every service on PostgreSQL over TLS as its own role (postgres-tls.spec.ts).
// The broker refuses plaintext, a wrong password and a
// client that does not trust its CA, and an upstream user may write fjc.spec.commands only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { Client } from 'pg';
import { databaseOf, serviceRoleName } from '@fjc/event-log';
import { kafkaSecurityFromEnv } from '@fjc/messaging';
import { stackEnv, stackKafkaSecurityEnv, uniqueSuffix } from '@fjc/testing';
import { FjcSystem, exampleSpec } from '../support/system';

const brokers = () => stackEnv('KAFKA_BROKERS').split(',');
const security = () => stackKafkaSecurityEnv();
const client = (config: Partial<KafkaConfig>) => new Kafka({ clientId: 'secure-test', brokers: brokers(), logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 5_000, ...config });

describe('Kafka with SASL_SSL', () => {
  it('is the broker of this suite (the stack wrote the client settings)', () => {
    expect(security()).toMatchObject({ FJC_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', FJC_KAFKA_SASL_USERNAME: 'fjc' });
  });

  it('refuses a plaintext client, a wrong password and a client without the CA', async () => {
    await expect(client({}).admin().connect()).rejects.toThrow();
    const env = security();
    const good = kafkaSecurityFromEnv(env);
    const wrongPassword = client({ ...good, sasl: { mechanism: 'scram-sha-512', username: 'fjc', password: 'not-the-password' } }).admin();
    await expect(wrongPassword.connect()).rejects.toThrow(/authentication failed/i);
    const untrusting = client({ ssl: true, sasl: good.sasl }).admin();
    await expect(untrusting.connect()).rejects.toThrow(/certificate/i);
  });

  it('lets an upstream user write fjc.spec.commands and nothing else', async () => {
    const env = security();
    const password = readFileSync(join(env.FJC_KAFKA_SASL_PASSWORD_FILE, '..', 'upstream.password'), 'utf8').trim();
    const upstream = client({ ...kafkaSecurityFromEnv(env), sasl: { mechanism: 'scram-sha-512', username: 'upstream', password } });
    const fjcAdmin = client(kafkaSecurityFromEnv(env)).admin();
    await fjcAdmin.connect();
    await fjcAdmin.createTopics({ topics: [{ topic: 'fjc.spec.commands' }, { topic: 'fjc.deploy.actions' }] });
    await fjcAdmin.disconnect();
    const producer = upstream.producer();
    await producer.connect();
    await expect(producer.send({ topic: 'fjc.spec.commands', messages: [{ key: 'j', value: '{}' }] })).resolves.toBeDefined();
    await expect(producer.send({ topic: 'fjc.deploy.actions', messages: [{ key: 'j', value: '{}' }] })).rejects.toThrow(/authoriz/i);
    await producer.disconnect();
  });

  it('runs, observes and suspends a stream job with every service on SASL_SSL, Flink REST over mutual TLS and PostgreSQL over TLS as its own role', async () => {
    const system = await FjcSystem.start();
    try {
      // The deployer's clusters come from the stack's file: https, the stack's CA, a client certificate.
      const clusters = readFileSync(system.world.env.FJC_CLUSTERS_FILE as string, 'utf8');
      expect(clusters).toMatch(/url: https:\/\//);
      expect(clusters).toContain('cert_file:');
      const jobId = `secure-${uniqueSuffix()}`;
      const put = await system.request('PUT', `/jobs/${jobId}`, exampleSpec('stream-stateless.yaml', jobId));
      expect(put.status).toBe(201);
      await system.waitForState(jobId, (j) => j.state === 'RUNNING', 'RUNNING');
      expect(await system.runningInFlinkSoon(jobId)).toHaveLength(1);
      // The third link: every service's sessions are TLS, each as the service's own role.
      const db = new Client({ connectionString: system.world.db.url });
      await db.connect();
      try {
        const sessions = await db.query<{ usename: string; ssl: boolean }>(
          `select a.usename, s.ssl from pg_stat_activity a join pg_stat_ssl s using (pid) where a.datname = current_database() and a.usename <> current_user`,
        );
        expect(new Set(sessions.rows.map((r) => r.usename))).toEqual(new Set(['spec-service', 'reconciler', 'scheduler', 'deployer'].map((svc) => serviceRoleName(svc, databaseOf(system.world.db.url)))));
        expect(sessions.rows.every((r) => r.ssl)).toBe(true);
      } finally {
        await db.end();
      }
      await system.request('POST', `/jobs/${jobId}/suspend`, {});
      await system.waitForState(jobId, (j) => j.state === 'SUSPENDED', 'SUSPENDED');
      expect(await system.runningInFlink(jobId)).toEqual([]);
    } finally {
      await system.stop();
    }
  });
});
