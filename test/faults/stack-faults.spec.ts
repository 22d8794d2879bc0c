// The fault harness itself: each fault really takes its component down, and the stack's script
// brings it back. The other fault tests build on these four moves.
import { Pool } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { stackEnv, stackFlinkClient } from '@fjc/testing';
import { killFlink, killKafka, startFlink, startKafka, stopPostgres, startPostgres } from './support/fault-stack';

describe('fault stack', () => {
  it('stops PostgreSQL with a fast shutdown and starts it again', async () => {
    const pool = new Pool({ connectionString: stackEnv('DATABASE_URL'), max: 1 });
    const errors: string[] = [];
    pool.on('error', (e) => errors.push(e.message));
    const client = await pool.connect();
    client.on('error', (e) => errors.push(e.message));
    await stopPostgres();
    await expect(client.query('select 1')).rejects.toThrow();
    client.release(true);
    await startPostgres();
    expect(errors.join('\n')).toMatch(/terminating connection due to administrator command/);
    await expect(pool.query('select 1 as one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
    await pool.end();
  });

  it('kills Kafka with SIGKILL and starts it again with its topics', async () => {
    const kafka = new Kafka({ clientId: 'fault-harness', brokers: stackEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const topic = `fault-harness-${Date.now()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
    await killKafka();
    const down = kafka.admin();
    await expect(down.connect()).rejects.toThrow();
    await startKafka();
    const again = kafka.admin();
    await again.connect();
    expect(await again.listTopics()).toContain(topic);
    await again.disconnect();
  });

  it('kills Flink with SIGKILL and starts it again with no jobs', async () => {
    const flink = stackFlinkClient();
    await expect(flink.listJobs()).resolves.toBeDefined();
    await killFlink();
    await expect(flink.listJobs()).rejects.toThrow();
    await startFlink();
    await expect(flink.listJobs()).resolves.toEqual([]);
    await flink.close();
  });
});
