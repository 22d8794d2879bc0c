// The relay's wake-ups against real PostgreSQL and Kafka: appends NOTIFY only while the relay has
// armed its log_wake row (it sleeps), and events held back by an older open transaction (which
// commits without a NOTIFY) make the relay ask for a quick next look, then get published.
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { eventually, stackEnv, uniqueSuffix } from '@fjc/testing';
import { LogRelay } from './relay';
import { appendNow, migratedTestDb, newEvent, type LogTestDb } from './test-support.int';

describe('LogRelay wake-ups (real PostgreSQL and Kafka)', () => {
  let t: LogTestDb;
  let producer: Producer;
  let relay: LogRelay;
  let notified = 0;
  const topic = `fjc-test.relay.${uniqueSuffix()}`;
  const kafka = new Kafka({ clientId: 'relay-int', brokers: stackEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
  });

  beforeEach(async () => {
    t = await migratedTestDb();
    producer = kafka.producer();
    await producer.connect();
    notified = 0;
    relay = new LogRelay(t.app, producer, {
      name: 'relay-int',
      connectionString: String(t.app.options.connectionString),
      topicFor: () => topic,
      onNotify: () => notified++,
    });
  });

  afterEach(async () => {
    await relay.release();
    await producer.disconnect();
    await t.close();
  });

  const armed = async () => (await t.owner.query('select 1 from log_wake where listener = $1', ['relay-int'])).rowCount === 1;

  it('arms its wake-up row when idle (an append then notifies it) and removes it while it has work', async () => {
    const idle = await relay.pass();
    expect(idle.more).toBe(false);
    expect(idle.soonMs).toBeGreaterThan(0);
    expect(await armed()).toBe(true);

    await appendNow(t.app, 'job-a', 'no-stream', [newEvent('job-a')]);
    await eventually('the append notified the relay', async () => notified, (n) => n >= 1);

    // (Passes until published: another database's transaction on a shared server may hold it back a moment.)
    await eventually('published', async () => (await relay.pass(), relay.published), (n) => n === 1);
    expect(await armed()).toBe(false);
  });

  it('looks again soon while committed events wait behind an older open transaction, and publishes them once it ends', async () => {
    await relay.pass();
    const blocker = await t.app.connect();
    try {
      await blocker.query('begin');
      await blocker.query('select pg_current_xact_id()');
      await appendNow(t.app, 'job-b', 'no-stream', [newEvent('job-b')]);

      const held = await relay.pass();
      expect(relay.published).toBe(0);
      expect(held.soonMs).toBeGreaterThan(0);
      expect(await armed()).toBe(false);

      await blocker.query('commit');
    } finally {
      blocker.release();
    }
    await eventually('published once the blocker committed', async () => (await relay.pass(), relay.published), (n) => n === 1);
  });
});
