import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { validateSpecDocument } from '../document/validate-document';
import { DEFAULT_SPEC_LIMITS, specLimitsFromEnv } from './spec-limits';
import { validateSpec } from './validate-spec';

const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'examples', 'specs');
const base = [
  'job_id: big',
  'job_type: stream',
  'artifact_path: infra/flink-test-job/target/fjc-test-job.jar',
  'artifact_signature: "sha256:d7cca577a37d4ee8817c050e7040c6a5af7ed6e9d0c5fbb23f9f2a86c4c88555"',
  'entry_class: dev.fjc.testjob.TestJob',
].join('\n');

describe('spec size limits', () => {
  it('accepts every example spec', () => {
    for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'))) {
      const result = validateSpecDocument(readFileSync(join(EXAMPLES, file), 'utf8'), file);
      expect({ file, ok: result.ok }).toEqual({ file, ok: true });
    }
  });

  it('refuses 100 aliases of one 10 KB scalar (11 KB of YAML, 1 MB of spec), naming the limit', () => {
    const big = 'x'.repeat(10_000);
    const text = `${base}\nargs: [&a "${big}", ${Array.from({ length: 99 }, () => '*a').join(', ')}]\n`;
    expect(text.length).toBeLessThan(11_000);
    const result = validateSpecDocument(text, 'spec.yaml');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      expect.objectContaining({ code: 'FJC_SPEC_ALIAS_EXPANSION_TOO_LARGE', message: expect.stringContaining('262144 bytes (FJC_MAX_DOCUMENT_BYTES)') }),
    ]);
  });

  it('refuses aliases nested to multiply (a billion laughs) before expanding them', () => {
    const lines = ['a0: &a0 "lol"'];
    for (let i = 1; i < 30; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const result = validateSpecDocument(`${base}\nlabels:\n${lines.map((l) => `  ${l}`).join('\n')}\n`, 'spec.yaml');
    expect(!result.ok && result.errors[0].code).toBe('FJC_SPEC_ALIAS_EXPANSION_TOO_LARGE');
  });

  it('still takes a few small aliases', () => {
    const result = validateSpecDocument(`${base}\nargs: [&n "--name", "a", *n, "b"]\n`, 'spec.yaml');
    expect(result.ok && result.spec.args).toEqual(['--name', 'a', '--name', 'b']);
  });

  it('refuses a spec over 64 KiB as JSON, the same from JSON and YAML', () => {
    const env = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`VAR_${i}`, 'v'.repeat(1_000)]));
    const value = { job_id: 'big', job_type: 'stream', artifact_path: 'a.jar', env_vars: env };
    const fromValue = validateSpec(value);
    expect(!fromValue.ok && fromValue.errors).toEqual([
      expect.objectContaining({ code: 'FJC_SPEC_TOO_LARGE', message: expect.stringMatching(/^the spec is \d+ bytes as JSON; the limit is 65536 bytes \(FJC_MAX_SPEC_BYTES\)$/) }),
    ]);
    const fromDocument = validateSpecDocument(JSON.stringify(value), 'spec.json');
    expect(!fromDocument.ok && fromDocument.errors[0].code).toBe('FJC_SPEC_TOO_LARGE');
  });

  it('refuses a spec nested deeper than the limit, naming it', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const result = validateSpec({ job_id: 'deep', job_type: 'stream', artifact_path: 'a.jar', labels: deep });
    expect(!result.ok && result.errors).toEqual([expect.objectContaining({ code: 'FJC_SPEC_TOO_DEEP', message: expect.stringContaining('the limit is 32') })]);
  });

  it('refuses a document over its byte limit before parsing it', () => {
    const result = validateSpecDocument(`${base}\n# ${'c'.repeat(300_000)}\n`, 'spec.yaml');
    expect(!result.ok && result.errors).toEqual([expect.objectContaining({ code: 'FJC_SPEC_DOCUMENT_TOO_LARGE' })]);
  });

  it('reads its limits from the environment and refuses nonsense', () => {
    expect(specLimitsFromEnv({})).toEqual(DEFAULT_SPEC_LIMITS);
    expect(specLimitsFromEnv({ FJC_MAX_SPEC_BYTES: '1024' }).maxSpecBytes).toBe(1024);
    expect(() => specLimitsFromEnv({ FJC_MAX_SPEC_DEPTH: 'deep' })).toThrow('FJC_MAX_SPEC_DEPTH must be a positive integer, got "deep"');
    const tight = validateSpec({ job_id: 'j', job_type: 'stream', artifact_path: 'a.jar' }, { ...DEFAULT_SPEC_LIMITS, maxSpecBytes: 10 });
    expect(!tight.ok && tight.errors[0].code).toBe('FJC_SPEC_TOO_LARGE');
  });
});
