import { matchesLabels, parseLabelSelector, type LabelRequirement } from './label-selector';

function parsed(text: string): readonly LabelRequirement[] {
  const result = parseLabelSelector(text);
  if (!result.ok) throw new Error(`${text}: ${result.message}`);
  return result.requirements;
}

describe('parseLabelSelector', () => {
  it.each([
    ['', []],
    ['team=payments', [{ op: 'in', key: 'team', values: ['payments'] }]],
    ['team==payments', [{ op: 'in', key: 'team', values: ['payments'] }]],
    ['team!=payments', [{ op: 'notIn', key: 'team', values: ['payments'] }]],
    ['team=', [{ op: 'in', key: 'team', values: [''] }]],
    ['tier', [{ op: 'exists', key: 'tier' }]],
    ['!tier', [{ op: 'notExists', key: 'tier' }]],
    ['env in (prod, staging)', [{ op: 'in', key: 'env', values: ['prod', 'staging'] }]],
    ['env notin (dev)', [{ op: 'notIn', key: 'env', values: ['dev'] }]],
    [
      ' app.kubernetes.io/part-of = shop , env in (a,b),!legacy,tier ',
      [
        { op: 'in', key: 'app.kubernetes.io/part-of', values: ['shop'] },
        { op: 'in', key: 'env', values: ['a', 'b'] },
        { op: 'notExists', key: 'legacy' },
        { op: 'exists', key: 'tier' },
      ],
    ],
  ])('parses %j', (text, expected) => {
    expect(parsed(text)).toEqual(expected);
  });

  it.each([
    ['team=a,', 'at character 8: expected a label name, found the end'],
    ['env in (a,b', 'at character 12: expected ",", found the end'],
    ['env in ()', 'at character 9: expected a value, found ")"'],
    ['env in a', 'at character 8: expected "(", found "a"'],
    ['env prod', 'at character 5: expected "=", "==", "!=", "in", "notin", "," or the end, found "p"'],
    ['-bad=x', 'at character 1: "-bad" is not a label name'],
    ['a=b=c', 'at character 4: expected ",", found "="'],
    ['!', 'at character 2: expected a label name, found the end'],
  ])('refuses %j, saying where', (text, message) => {
    const result = parseLabelSelector(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });

  it('refuses a selector longer than its limit', () => {
    const result = parseLabelSelector(`a in (${Array.from({ length: 2000 }, (_, i) => `v${i}`).join(',')})`);
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('at most 4096') });
  });
});

describe('matchesLabels', () => {
  const labels = { team: 'payments', env: 'prod' };
  it.each([
    ['team=payments', true],
    ['team=search', false],
    ['team!=search', true],
    ['owner!=x', true],
    ['env in (prod,staging)', true],
    ['env notin (prod)', false],
    ['owner notin (x)', true],
    ['owner in (x)', false],
    ['team', true],
    ['!team', false],
    ['!owner,team=payments,env', true],
  ])('%s -> %s', (text, expected) => {
    expect(matchesLabels(parsed(text), labels)).toBe(expected);
  });
});
