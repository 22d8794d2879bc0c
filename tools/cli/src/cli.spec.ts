// The built CLI, run as a child process from the repository root, the way a person runs it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const WORKSPACE = join(__dirname, '..', '..', '..');
const BIN = join(WORKSPACE, 'tools', 'cli', 'bin', 'fjc.js');
const FIXTURES = 'tools/cli/fixtures';

function fjc(...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: WORKSPACE, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, lines: run.stdout.trimEnd().split('\n') };
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);

describe('fjc validate', () => {
  it('accepts every example spec', () => {
    const run = fjc('validate', 'examples/specs');
    expect(run.stderr).toBe('');
    expect(run.lines).toEqual([
      'examples/specs/batch-cron.yaml: ok',
      'examples/specs/batch-once.yaml: ok',
      'examples/specs/stream-last-state.yaml: ok',
      'examples/specs/stream-savepoint.yaml: ok',
      'examples/specs/stream-secrets.yaml: ok',
      'examples/specs/stream-stateless.yaml: ok',
      '6 files valid',
    ]);
    expect(run.code).toBe(0);
  });

  it('accepts valid YAML and JSON files named one by one', () => {
    const run = fjc('validate', `${FIXTURES}/valid/stream.yaml`, `${FIXTURES}/valid/batch.json`);
    expect(run.lines).toEqual([
      `${FIXTURES}/valid/stream.yaml: ok`,
      `${FIXTURES}/valid/batch.json: ok`,
      `${FIXTURES}/valid/batch.json: warning: security.artifact_verification: is false: the jar will be uploaded to Flink without checking its SHA-256 (line 5)`,
      '2 files valid',
    ]);
    expect(run.code).toBe(0);
  });

  it('prints every error as file: path: message, in file order, and exits 1', () => {
    const file = `${FIXTURES}/invalid/fields.yaml`;
    const run = fjc('validate', file);
    expect(run.lines).toEqual([
      `${file}: job_id: must be 1 to 63 lowercase letters, digits or "-", starting with a letter or digit, got "Fixture_Fields" (line 1)`,
      `${file}: artifact_path: is an absolute path; write it as file:///opt/jobs/fields.jar or make it relative to the artifact root (line 3)`,
      `${file}: deployment.parallelism: must be at least 1, got 0 (line 6)`,
      `${file}: deployment.checkpoint_interval: must be a duration like "500ms", "30s", "5m", "1h" or "1d", got "30 seconds" (line 7)`,
      `${file}: deployment.upgrade_mod: is not a known field; did you mean "upgrade_mode"? (line 8)`,
      `${file}: batch_config: is only allowed when job_type is "batch" (this job's job_type is "stream") (line 9)`,
      '1 file invalid, 0 files valid',
    ]);
    expect(run.code).toBe(1);
  });

  it('reports the line of a YAML syntax error', () => {
    const run = fjc('validate', `${FIXTURES}/invalid/syntax.yaml`);
    expect(run.lines[0]).toBe(
      `${FIXTURES}/invalid/syntax.yaml: line 4, column 1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    );
    expect(run.code).toBe(1);
    noStackTrace(run.stdout + run.stderr);
  });

  it('reports the line of a JSON syntax error', () => {
    const run = fjc('validate', `${FIXTURES}/invalid/syntax.json`);
    expect(run.lines[0]).toBe(`${FIXTURES}/invalid/syntax.json: line 3, column 23: JSON syntax error: trailing comma before "}"`);
    expect(run.code).toBe(1);
  });

  it.each([
    ['empty.yaml', 'the file is empty'],
    ['comments-only.yaml', 'the file has only comments'],
  ])('gives %s a clear error, not a stack trace', (name, what) => {
    const run = fjc('validate', `${FIXTURES}/invalid/${name}`);
    expect(run.lines).toEqual([
      `${FIXTURES}/invalid/${name}: ${what}; a spec needs at least job_id, job_type and artifact_path`,
      '1 file invalid, 0 files valid',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
  });

  it('prints warnings of valid files and still exits 0', () => {
    const run = fjc('validate', `${FIXTURES}/warnings.yaml`);
    expect(run.lines.filter((line) => line.includes(': warning: ')).map((line) => line.split(': ')[2])).toEqual([
      'resources.memory',
      'env_vars',
    ]);
    expect(run.code).toBe(0);
  });

  it('exits 1 when any file is invalid, and checks them all', () => {
    const run = fjc('validate', `${FIXTURES}/valid/stream.yaml`, `${FIXTURES}/invalid/empty.yaml`, 'examples/specs');
    expect(run.lines[run.lines.length - 1]).toBe('1 file invalid, 7 files valid');
    expect(run.code).toBe(1);
  });

  it('names a path that does not exist', () => {
    const run = fjc('validate', 'no/such/spec.yaml');
    expect(run.lines).toEqual(['no/such/spec.yaml: no such file or directory', '0 files valid']);
    expect(run.code).toBe(1);
  });

  it('asks for at least one path', () => {
    const run = fjc('validate');
    expect(run.stderr).toContain("missing required argument 'paths'");
    expect(run.code).toBe(2);
  });
});

describe('fjc schema', () => {
  it('prints the committed JSON Schema of the spec', () => {
    const run = fjc('schema');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(readFileSync(join(WORKSPACE, 'libs/contracts/schema/job-spec.schema.json'), 'utf8'));
    expect(JSON.parse(run.stdout)).toMatchObject({ title: 'FJC job spec' });
  });
});

describe('fjc', () => {
  it('lists its commands in --help', () => {
    const run = fjc('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/validate \[options\] <paths\.\.\.>|validate <paths\.\.\.>/);
    expect(run.stdout).toContain('schema');
    for (const command of ['apply [options] <paths...>', 'get [options] <jobId>', 'list [options]', 'events [options] <jobId>', 'savepoints [options] <jobId>', 'suspend [options] <jobId>', 'resume [options] <jobId>', 'rollback [options] <jobId> [toVersion]', 'delete [options] <jobId>']) {
      expect(run.stdout).toContain(command);
    }
  });

  it('exits 2 on an unknown command', () => {
    const run = fjc('frobnicate');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'frobnicate'");
    noStackTrace(run.stderr);
  });
});
