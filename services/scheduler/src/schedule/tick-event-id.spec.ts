// Tick ids: name-based (version 5) UUIDs, the same in every scheduler instance.
import { TICK_ID_NAMESPACE, tickEventId, uuidV5 } from './tick-event-id';

describe('tick event ids', () => {
  it('matches the RFC 9562 version 5 reference value', () => {
    // uuid5(NAMESPACE_DNS, "python.org"), as given in Python's uuid documentation.
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('is a pure function of job and scheduled time', () => {
    const id = tickEventId('fjc-a', '2025-01-01T00:00:00.000Z');
    expect(id).toBe(uuidV5(TICK_ID_NAMESPACE, 'fjc-a|2025-01-01T00:00:00.000Z'));
    expect(id).toBe('08db6662-d244-5c76-9ac8-42c822570781');
    expect(tickEventId('fjc-a', '2025-01-01T00:00:00.000Z')).toBe(id);
  });

  it('differs for another time or another job', () => {
    const ids = new Set([
      tickEventId('fjc-a', '2025-01-01T00:00:00.000Z'),
      tickEventId('fjc-a', '2025-01-01T00:00:01.000Z'),
      tickEventId('fjc-b', '2025-01-01T00:00:00.000Z'),
      // The separator keeps "a|b" + "c" apart from "a" + "b|c".
      tickEventId('fjc-a-1', '2025-01-01T00:00:00.000Z'),
    ]);
    expect(ids.size).toBe(4);
  });
});
