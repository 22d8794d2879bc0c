// A relay process for the delivery test: publishes the test database's log to one topic
// until killed.
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { LogRelay } from '@fjc/event-log';

async function main(): Promise<void> {
  const env = (name: string) => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is required`);
    return v;
  };
  const pool = new Pool({ connectionString: env('DATABASE_URL'), max: 4 });
  const kafka = new Kafka({ clientId: 'relay-fixture', brokers: env('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const topic = env('TOPIC');
  const relay = new LogRelay(pool, producer, {
    name: 'delivery-test',
    connectionString: env('DATABASE_URL'),
    topicFor: () => topic,
    batchSize: 200,
    pollIntervalMs: 200,
    logger: { info: () => undefined, warn: (o, m) => process.stderr.write(`${m} ${JSON.stringify(o)}\n`), error: (o, m) => process.stderr.write(`${m} ${JSON.stringify(o)}\n`) },
  });
  await relay.start();
  process.stdout.write('relay started\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`relay fixture failed: ${String(err)}\n`);
  process.exit(1);
});
