import { parseSpecDocument, specFormatOf } from './spec-document';
import { validateSpecDocument } from './validate-document';

const SIGNATURE = `sha256:${'a'.repeat(64)}`;
const GOOD_YAML = `# an example
job_id: orders
job_type: stream
artifact_path: jobs/orders.jar
artifact_signature: "${SIGNATURE}"
deployment:
  parallelism: 2
`;

describe('parseSpecDocument', () => {
  it('reads YAML and JSON by file name', () => {
    expect(specFormatOf('a.json')).toBe('json');
    expect(specFormatOf('a.YAML')).toBe('yaml');
    expect(specFormatOf('a.yml')).toBe('yaml');
    const yaml = parseSpecDocument(GOOD_YAML, 'orders.yaml');
    const json = parseSpecDocument(JSON.stringify({ job_id: 'orders', deployment: { parallelism: 2 } }), 'orders.json');
    expect(yaml.ok && yaml.format).toBe('yaml');
    expect(json.ok && json.value).toEqual({ job_id: 'orders', deployment: { parallelism: 2 } });
  });

  it.each([
    ['', 'the file is empty'],
    ['   \n\n', 'the file is empty'],
    ['# only a comment\n', 'the file has only comments'],
    ['---\n', 'the file has no content'],
    ['~\n', 'the file has no content'],
  ])('reports %p as an empty document', (text, what) => {
    expect(parseSpecDocument(text, 'x.yaml')).toEqual({
      ok: false,
      errors: [{ path: '', code: 'FJC_SPEC_EMPTY_DOCUMENT', message: `${what}; a spec needs at least job_id, job_type and artifact_path` }],
    });
  });

  it('reports an empty JSON file the same way', () => {
    const result = parseSpecDocument('', 'x.json');
    expect(!result.ok && result.errors[0].code).toBe('FJC_SPEC_EMPTY_DOCUMENT');
  });

  it('reports the line and column of a YAML syntax error', () => {
    // The parser notices the unclosed list where the next key starts.
    const result = parseSpecDocument('job_id: orders\njob_type: stream\nargs: [--mode, stream\nlabels: {}\n', 'bad.yaml');
    if (result.ok) throw new Error('expected a syntax error');
    expect(result.errors[0]).toMatchObject({ path: '', code: 'FJC_SPEC_SYNTAX_ERROR', line: 4, column: 1 });
    expect(result.errors[0].message).toContain('end with a ]');
    expect(result.errors[0].message).toMatch(/^YAML syntax error: /);
    expect(result.errors[0].message).not.toMatch(/\n/);
  });

  it('reports bad indentation with its line', () => {
    const result = parseSpecDocument('job_id: orders\ndeployment:\n  parallelism: 2\n   upgrade_mode: savepoint\n', 'bad.yaml');
    expect(!result.ok && result.errors[0]).toMatchObject({ code: 'FJC_SPEC_SYNTAX_ERROR', line: 3, column: 16 });
  });

  it('reports a reserved character with its line and column', () => {
    const result = parseSpecDocument('job_id: orders\njob_type: @stream\n', 'bad.yaml');
    expect(!result.ok && result.errors[0]).toMatchObject({ code: 'FJC_SPEC_SYNTAX_ERROR', line: 2, column: 11 });
  });

  it('reports a duplicate key with its line', () => {
    const result = parseSpecDocument('job_id: a\njob_type: stream\njob_id: b\n', 'dup.yaml');
    expect(!result.ok && result.errors[0]).toMatchObject({ code: 'FJC_SPEC_SYNTAX_ERROR', line: 3 });
  });

  it('refuses several YAML documents in one file', () => {
    const result = parseSpecDocument('job_id: a\n---\njob_id: b\n', 'two.yaml');
    expect(!result.ok && result.errors[0]).toMatchObject({ code: 'FJC_SPEC_MULTIPLE_DOCUMENTS', line: 2 });
  });

  it('reports the line and column of a JSON syntax error', () => {
    const result = parseSpecDocument('{\n  "job_id": "a",\n  "job_type": "stream",\n}\n', 'bad.json');
    expect(result).toEqual({
      ok: false,
      errors: [{ path: '', code: 'FJC_SPEC_SYNTAX_ERROR', message: 'JSON syntax error: trailing comma before "}"', line: 3, column: 23 }],
    });
  });

  it('locates fields in YAML and JSON files', () => {
    const yaml = parseSpecDocument(GOOD_YAML, 'orders.yaml');
    const json = parseSpecDocument('{\n  "job_id": "orders",\n  "args": ["a", "b"]\n}', 'orders.json');
    if (!yaml.ok || !json.ok) throw new Error('expected documents');
    expect(yaml.locate(['deployment', 'parallelism'])).toEqual({ line: 7, column: 3 });
    expect(yaml.locate(['deployment', 'missing'])).toEqual({ line: 6, column: 1 });
    expect(yaml.locate(['nothing'])).toBeUndefined();
    expect(json.locate(['args', 1])).toEqual({ line: 3, column: 17 });
  });
});

describe('validateSpecDocument', () => {
  it('gives every error the line of its field', () => {
    const text = GOOD_YAML.replace('parallelism: 2', 'parallelism: 0\n  paralelism: 3');
    const result = validateSpecDocument(text, 'orders.yaml');
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: 'deployment.parallelism', code: 'FJC_SPEC_OUT_OF_RANGE', message: 'must be at least 1, got 0', line: 7, column: 3 },
        {
          path: 'deployment.paralelism',
          code: 'FJC_SPEC_UNKNOWN_FIELD',
          message: 'is not a known field; did you mean "parallelism"?',
          line: 8,
          column: 3,
        },
      ],
    });
  });

  it('gives warnings their lines too', () => {
    const result = validateSpecDocument(`${GOOD_YAML}resources:\n  memory: 2g\n`, 'orders.yaml');
    expect(result.ok && result.warnings).toEqual([expect.objectContaining({ path: 'resources.memory', line: 9, column: 3 })]);
  });

  it('hashes the same spec the same, whether YAML or JSON', () => {
    const yaml = validateSpecDocument(GOOD_YAML, 'a.yaml');
    const json = validateSpecDocument(
      JSON.stringify({ deployment: { parallelism: 2 }, artifact_signature: SIGNATURE, artifact_path: 'jobs/orders.jar', job_type: 'stream', job_id: 'orders' }),
      'a.json',
    );
    expect(yaml.ok && json.ok && yaml.spec).toEqual(json.ok && json.spec);
  });
});
