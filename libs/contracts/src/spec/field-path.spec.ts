import fc from 'fast-check';
import { formatFieldPath, parseFieldPath } from './field-path';

describe('field paths', () => {
  it.each([
    [['deployment', 'parallelism'], 'deployment.parallelism'],
    [['args', 2], 'args[2]'],
    [['labels', 'app.kubernetes.io/name'], 'labels["app.kubernetes.io/name"]'],
    [['env_vars', '1A'], 'env_vars["1A"]'],
    [['deployment', 'checkpoint-interval'], 'deployment.checkpoint-interval'],
    [[], ''],
  ])('formats %p as %s', (segments, text) => {
    expect(formatFieldPath(segments)).toBe(text);
    expect(parseFieldPath(text)).toEqual(segments);
  });

  it('parses every formatted path back to its segments', () => {
    const segment = fc.oneof(fc.string(), fc.nat(), fc.constantFrom('deployment', 'parallelism', 'a-b', '"', ']', '\\'));
    fc.assert(fc.property(fc.array(segment, { maxLength: 6 }), (segments) => {
      expect(parseFieldPath(formatFieldPath(segments))).toEqual(segments);
    }));
  });

  it.each(['.a', 'a..b', 'a[', 'a[x]', 'a["x"', '[1]x', 'a b'])('refuses %p, which formatFieldPath never makes', (text) =>
    expect(parseFieldPath(text)).toBeUndefined(),
  );
});
