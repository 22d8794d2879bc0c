// Tick ids: name-based (version 5) UUIDs, the same in every scheduler instance.
import { tickEventId } from './tick-event-id';

describe('tick event ids', () => {
  it('is a pure function of job and scheduled time, the same id every FJC version computed', () => {
    const id = tickEventId('fjc-a', '2025-01-01T00:00:00.000Z');
    // Pinned: a tick id that changed between versions would let a tick run twice across an upgrade.
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
