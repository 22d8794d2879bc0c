import fc from 'fast-check';
import { formatByteSize, formatDuration, parseByteSize, parseDuration } from './units';

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['30 s', 30_000],
    ['5m', 300_000],
    ['5min', 300_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['0ms', 0],
  ])('parses %s as %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '5', '1.5s', '-1s', '5M', '5 m s', 'PT5M', '5 seconds', `${'9'.repeat(20)}d`])('rejects %p', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );

  it.each([
    [90_000, '90s'],
    [3_600_000, '1h'],
    [1500, '1500ms'],
    [0, '0ms'],
    [86_400_000, '1d'],
  ])('formats %d ms as %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('formats to text that parses back to the same duration', () => {
    fc.assert(fc.property(fc.nat({ max: 10 * 365 * 86_400_000 }), (ms) => parseDuration(formatDuration(ms)) === ms));
  });
});

describe('memory sizes', () => {
  it.each([
    ['2g', 2 * 1024 ** 3],
    ['512m', 512 * 1024 ** 2],
    ['1024mb', 1024 ** 3],
    ['1GiB', 1024 ** 3],
    ['64k', 65_536],
    ['1 t', 1024 ** 4],
    ['100', 100],
    ['100b', 100],
    ['100 bytes', 100],
  ])('parses %s as %d bytes', (text, bytes) => expect(parseByteSize(text)).toBe(bytes));

  it.each(['', 'g', '1.5g', '2x', '-1m', '1 gigabyte', `${'9'.repeat(16)}t`])('rejects %p', (text) =>
    expect(parseByteSize(text)).toBeUndefined(),
  );

  it('formats to text that parses back to the same size', () => {
    fc.assert(fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (bytes) => parseByteSize(formatByteSize(bytes)) === bytes));
  });
});
