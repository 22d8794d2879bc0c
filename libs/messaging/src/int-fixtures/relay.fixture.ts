// A relay process for the delivery test: publishes the test database's log to one topic
// until killed. The services drive the relay with service-runtime's PollingLoop, which this
// library sits below; a process that only lives until the test kills it needs no more than this.
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
    logger: { info: () => undefined, warn: (o, m) => process.stderr.write(`${m} ${JSON.stringify(o)}\n`), error: (o, m) => process.stderr.write(`${m} ${JSON.stringify(o)}\n`) },
  });
  process.stdout.write('relay started\n');
  for (;;) {
    const { more } = await relay.pass().catch((err: unknown) => {
      process.stderr.write(`relay pass failed: ${String(err)}\n`);
      return { more: false };
    });
    if (!more) await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`relay fixture failed: ${String(err)}\n`);
  process.exit(1);
});
