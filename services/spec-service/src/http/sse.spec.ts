import { sseFrame } from './sse';

describe('sseFrame', () => {
  it('writes id, event and the data as one JSON line, ended by a blank line', () => {
    const frame = sseFrame('42', 'SpecUpdated', { reason: 'two\nlines', n: 1 });
    expect(frame).toBe('id: 42\nevent: SpecUpdated\ndata: {"reason":"two\\nlines","n":1}\n\n');
    expect(frame.slice(0, -2).split('\n')).toHaveLength(3);
  });
});
