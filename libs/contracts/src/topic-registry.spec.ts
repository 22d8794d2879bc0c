import { EVENT_CATALOG, EVENT_TYPES } from './messages/event-catalog';
import { PAYLOAD_SAMPLES, envelope } from './testing/message-samples';
import { TOPICS, topicRegistry } from './topic-registry';
import { TOPIC_SUFFIXES, type TopicKey } from './topics';

const topicKeys = Object.keys(TOPIC_SUFFIXES) as TopicKey[];

describe('topic registry', () => {
  it('defines every public topic', () => {
    expect(Object.keys(TOPICS).sort()).toEqual([...topicKeys].sort());
    for (const key of topicKeys) expect(TOPICS[key].suffix).toBe(TOPIC_SUFFIXES[key]);
  });

  it('names topics with the deployment prefix', () => {
    expect(topicRegistry().specEvents.name).toBe('fjc.spec.events');
    expect(topicRegistry('acme.').dlq.name).toBe('acme.dlq');
  });

  it('keys every topic by job id', () => {
    for (const key of topicKeys.filter((k) => k !== 'dlq')) {
      expect(TOPICS[key].keySchema.safeParse('orders-enricher').success).toBe(true);
      expect(TOPICS[key].keySchema.safeParse('Orders Enricher').success).toBe(false);
    }
  });

  it('publishes every event type but the log-only ones on exactly one topic', () => {
    const listed = topicKeys.flatMap((key) => TOPICS[key].eventTypes);
    expect([...listed].sort()).toEqual(EVENT_TYPES.filter((type) => EVENT_CATALOG[type].topic !== null).sort());
  });

  it.each(EVENT_TYPES)('accepts %s on its own topic only', (type) => {
    const event = envelope(type, PAYLOAD_SAMPLES[type], EVENT_CATALOG[type].currentVersion);
    for (const key of topicKeys) {
      expect([key, TOPICS[key].valueSchema.safeParse(event).success]).toEqual([key, key === EVENT_CATALOG[type].topic]);
    }
  });
});
