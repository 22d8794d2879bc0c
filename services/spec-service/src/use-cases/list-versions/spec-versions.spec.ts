import type { StoredEvent } from '@fjc/event-log';
import { specOf, updated } from '../../testing/spec-stream-fixtures';
import type { SpecStreamEvent } from '../../spec-stream/spec-stream';
import { specVersionsOf } from './spec-versions';

function stored(event: SpecStreamEvent, streamVersion: number): { stored: StoredEvent; event: SpecStreamEvent } {
  return {
    event,
    stored: {
      eventId: `00000000-0000-4000-8000-00000000000${streamVersion}`,
      type: event.type,
      schemaVersion: 1,
      jobId: 'orders-enricher',
      payload: event.payload,
      metadata: { producer: 'spec-service', actor: { kind: 'user', id: 'ann' }, correlationId: `c-${streamVersion}`, causationId: null },
      occurredAt: new Date('2025-01-01T00:00:00Z'),
      position: String(streamVersion),
      txId: '1',
      streamId: 'spec-orders-enricher',
      streamVersion,
      recordedAt: new Date(),
    },
  };
}

describe('specVersionsOf', () => {
  it('lists spec versions with who made them, rollbacks with their target, and skips other events', () => {
    const v1 = updated(1);
    const back: SpecStreamEvent = {
      type: 'JobRolledBack',
      payload: { ...(v1.payload as { version: number; specHash: string; spec: ReturnType<typeof specOf> }), version: 3, fromVersion: 2, toVersion: 1 },
    };
    const versions = specVersionsOf([
      stored(v1, 1),
      stored(updated(2, specOf({ deployment: { parallelism: 2 } })), 2),
      stored({ type: 'SavepointRequested', payload: { requestId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427' } }, 3),
      stored(back, 4),
      stored({ type: 'JobDeleteRequested', payload: { lastVersion: 3 } }, 5),
    ]);
    expect(versions.map((v) => [v.version, v.type, v.rolledBackTo, v.correlationId])).toEqual([
      [1, 'SpecUpdated', undefined, 'c-1'],
      [2, 'SpecUpdated', undefined, 'c-2'],
      [3, 'JobRolledBack', 1, 'c-4'],
    ]);
    expect(versions[2].specHash).toBe(versions[0].specHash);
    expect(versions[0]).toMatchObject({ actor: { kind: 'user', id: 'ann' }, occurredAt: '2025-01-01T00:00:00.000Z' });
  });
});
