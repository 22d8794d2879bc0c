import { canonicalSpecText } from './spec-text';

describe('canonicalSpecText', () => {
  it('writes the spec as YAML with keys sorted at every depth, lists in their order', () => {
    expect(canonicalSpecText({ job_id: 'orders', deployment: { parallelism: 2, upgrade_mode: 'savepoint' }, args: ['--b', '--a'] })).toBe(
      ['args:', '  - --b', '  - --a', 'deployment:', '  parallelism: 2', '  upgrade_mode: savepoint', 'job_id: orders', ''].join('\n'),
    );
  });
});
