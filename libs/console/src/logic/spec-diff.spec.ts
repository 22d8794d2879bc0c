import { diffSpecs, diffTexts, hasChanges } from './spec-diff';

describe('diffSpecs', () => {
  it('shows only the lines that changed, whatever the key order', () => {
    const before = { job_id: 'orders', deployment: { parallelism: 1, upgrade_mode: 'savepoint' }, args: ['--rate', '20'] };
    const after = { args: ['--rate', '30'], deployment: { upgrade_mode: 'savepoint', parallelism: 1 }, job_id: 'orders' };
    const lines = diffSpecs(before, after);
    expect(lines.filter((l) => l.kind !== 'same')).toEqual([
      { kind: 'removed', text: '  - "20"' },
      { kind: 'added', text: '  - "30"' },
    ]);
    expect(lines.filter((l) => l.kind === 'same').map((l) => l.text)).toContain('  parallelism: 1');
  });

  it('finds no change between the same spec in another key order', () => {
    expect(hasChanges(diffSpecs({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 }))).toBe(false);
  });

  it('adds every line of a new job', () => {
    const lines = diffSpecs(null, { job_id: 'orders', namespace: 'team-a' });
    expect(lines).toEqual([
      { kind: 'added', text: 'job_id: orders' },
      { kind: 'added', text: 'namespace: team-a' },
    ]);
  });
});

describe('diffTexts', () => {
  it('keeps unchanged lines in place between changes', () => {
    expect(diffTexts('a\nb\nc\n', 'a\nB\nc\n')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'B' },
      { kind: 'same', text: 'c' },
    ]);
  });
});
