import { errorLine, inFileOrder, summaryLine, warningLine } from './report';

describe('report lines', () => {
  it('puts file, field path and message on one line, with the line in the file', () => {
    expect(errorLine('a.yaml', { path: 'deployment.parallelism', message: 'must be at least 1, got 0', code: 'FJC_SPEC_OUT_OF_RANGE', line: 7, column: 3 })).toBe(
      'a.yaml: deployment.parallelism: must be at least 1, got 0 (line 7)',
    );
    expect(errorLine('a.json', { path: 'job_id', message: 'is required', code: 'FJC_SPEC_REQUIRED' })).toBe('a.json: job_id: is required');
  });

  it('names line and column for errors of the file itself', () => {
    expect(errorLine('a.yaml', { path: '', message: 'YAML syntax error: x', code: 'FJC_SPEC_SYNTAX_ERROR', line: 2, column: 5 })).toBe(
      'a.yaml: line 2, column 5: YAML syntax error: x',
    );
    expect(errorLine('a.yaml', { path: '', message: 'the file is empty', code: 'FJC_SPEC_EMPTY_DOCUMENT' })).toBe('a.yaml: the file is empty');
  });

  it('marks warnings', () => {
    expect(warningLine('a.yaml', { path: 'env_vars', message: 'has no effect', code: 'FJC_SPEC_CLUSTER_LEVEL', line: 4 })).toBe(
      'a.yaml: warning: env_vars: has no effect (line 4)',
    );
  });

  it('orders issues as they appear in the file', () => {
    const issues = [
      { path: 'c', message: 'm', code: 'FJC_SPEC_REQUIRED' as const },
      { path: 'b', message: 'm', code: 'FJC_SPEC_REQUIRED' as const, line: 9 },
      { path: 'a', message: 'm', code: 'FJC_SPEC_REQUIRED' as const, line: 2 },
    ];
    expect(inFileOrder(issues).map((i) => i.path)).toEqual(['a', 'b', 'c']);
  });

  it('sums up', () => {
    expect(summaryLine(1, 0)).toBe('1 file valid');
    expect(summaryLine(3, 2)).toBe('2 files invalid, 3 files valid');
  });
});
