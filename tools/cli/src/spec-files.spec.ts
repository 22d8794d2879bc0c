import { join } from 'node:path';
import { findSpecFiles } from './spec-files';

const FIXTURES = join(__dirname, '..', 'fixtures');

describe('findSpecFiles', () => {
  it('finds YAML and JSON files under a directory, sorted, at any depth', () => {
    const { files, problems } = findSpecFiles([FIXTURES]);
    expect(problems).toEqual([]);
    expect(files.map((f) => f.slice(FIXTURES.length + 1))).toEqual([
      'invalid/comments-only.yaml',
      'invalid/empty.yaml',
      'invalid/fields.yaml',
      'invalid/syntax.json',
      'invalid/syntax.yaml',
      'valid/batch.json',
      'valid/stream.yaml',
      'warnings.yaml',
    ]);
  });

  it('takes a named file as it is, whatever its extension', () => {
    expect(findSpecFiles([join(FIXTURES, '..', 'package.json')]).files).toHaveLength(1);
  });

  it('reports missing paths and directories without specs', () => {
    const { problems } = findSpecFiles(['/no/such/dir', join(__dirname, 'commands')]);
    expect(problems).toEqual([
      { path: '/no/such/dir', message: 'no such file or directory' },
      { path: join(__dirname, 'commands'), message: 'has no .yaml, .yml or .json files' },
    ]);
  });
});
