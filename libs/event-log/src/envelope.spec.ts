import { toWireMessage } from './envelope';
import type { StoredEvent } from './types';

const stored: StoredEvent = {
  position: '42',
  txId: '900',
  streamId: 'spec:etl-1',
  streamVersion: 3,
  jobId: 'etl-1',
  eventId: '6f1c1b9e-1f4e-4d7e-9a43-2f0b0c8f1a11',
  type: 'SpecUpdated',
  schemaVersion: 2,
  payload: { version: 3 },
  metadata: {
    producer: 'spec-service',
    actor: { kind: 'user', id: 'alice' },
    correlationId: 'c-1',
    causationId: null,
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  },
  occurredAt: new Date('2026-11-27T10:00:00.000Z'),
  recordedAt: new Date('2026-11-27T10:00:00.100Z'),
};

describe('toWireMessage', () => {
  it('keys by job id and carries the public envelope and headers', () => {
    const msg = toWireMessage(stored);
    expect(msg.key).toBe('etl-1');
    expect(JSON.parse(msg.value)).toEqual({
      id: stored.eventId,
      type: 'SpecUpdated',
      schemaVersion: 2,
      jobId: 'etl-1',
      streamVersion: 3,
      occurredAt: '2026-11-27T10:00:00.000Z',
      producer: 'spec-service',
      actor: { kind: 'user', id: 'alice' },
      correlationId: 'c-1',
      causationId: null,
      // The trace of the traceparent it was written with.
      traceId: '0af7651916cd43dd8448eb211c80319c',
      payload: { version: 3 },
    });
    expect(msg.headers).toMatchObject({ 'event-type': 'SpecUpdated', traceparent: stored.metadata.traceparent, 'log-position': '42' });
  });

  it('omits traceparent when the event has none', () => {
    const msg = toWireMessage({ ...stored, metadata: { ...stored.metadata, traceparent: undefined } });
    expect(msg.headers).not.toHaveProperty('traceparent');
  });
});
