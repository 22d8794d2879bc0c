// Topic creation at start, against the real Kafka: instances starting at the same moment all
// get every topic with a leader for every partition, and a later start creates nothing.
import { Kafka, logLevel } from 'kafkajs';
import { stackEnv, uniqueSuffix } from '@fjc/testing';
import { ensureTopics } from './ensure-topics';

describe('ensureTopics (real Kafka)', () => {
  const kafka = new Kafka({ clientId: 'ensure-topics-test', brokers: stackEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
  const prefix = `t${uniqueSuffix()}.`;
  const wanted = ['spec.events', 'schedule.ticks', 'deploy.actions', 'deploy.results', 'job.observations', 'job.lifecycle'].map((n) => ({ name: `${prefix}${n}`, partitions: 12 }));
  const admins = [kafka.admin(), kafka.admin(), kafka.admin()];

  beforeAll(() => Promise.all(admins.map((a) => a.connect())));
  afterAll(async () => {
    await admins[0].deleteTopics({ topics: wanted.map((t) => t.name) }).catch(() => undefined);
    await Promise.all(admins.map((a) => a.disconnect()));
  });

  it('gives instances starting together every topic, each partition with a leader', async () => {
    await Promise.all(admins.map((admin) => ensureTopics(admin, wanted)));
    const metadata = await admins[0].fetchTopicMetadata({ topics: wanted.map((t) => t.name) });
    expect(metadata.topics.map((t) => t.name).sort()).toEqual(wanted.map((t) => t.name).sort());
    for (const topic of metadata.topics) {
      expect(topic.partitions).toHaveLength(12);
      expect(topic.partitions.every((p) => p.leader >= 0)).toBe(true);
    }
  });

  it('creates nothing when the topics exist, and names the topics when Kafka cannot have them', async () => {
    const retries: string[] = [];
    await ensureTopics(admins[1], wanted, { onRetry: (e) => retries.push(e) });
    expect(retries).toEqual([]);
    // A topic name Kafka refuses: the start fails with a stable code naming it, after the deadline.
    await expect(ensureTopics(admins[2], [{ name: `${prefix}bad name`, partitions: 1 }], { timeoutMs: 500 })).rejects.toThrow(/FJC_KAFKA_TOPICS_UNAVAILABLE: .*bad name/);
  });
});
