import { checkSpecText, describeIssue } from './spec-check';

const VALID = ['job_id: orders', 'job_type: stream', 'artifact_path: job.jar', 'entry_class: com.example.Main', 'deployment:', '  parallelism: 2', ''].join('\n');

describe('checkSpecText', () => {
  it('accepts a valid YAML spec, with its place and what was written', () => {
    const result = checkSpecText(VALID);
    expect(result).toMatchObject({ ok: true, jobId: 'orders', namespace: 'default', cluster: 'default', written: { job_id: 'orders', deployment: { parallelism: 2 } } });
  });

  it('accepts the same spec as JSON', () => {
    expect(checkSpecText(JSON.stringify({ job_id: 'orders', job_type: 'stream', artifact_path: 'job.jar', entry_class: 'com.example.Main' }))).toMatchObject({ ok: true, jobId: 'orders' });
  });

  it('names the field and its line of an invalid spec', () => {
    const result = checkSpecText(VALID.replace('parallelism: 2', 'parallelism: 0'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ path: 'deployment.parallelism', line: 6 });
    expect(describeIssue(result.errors[0])).toMatch(/^line 6: deployment\.parallelism: .+ \(FJC_SPEC_[A-Z_]+\)$/);
  });

  it('reports a syntax error with its line', () => {
    const result = checkSpecText('job_id: orders\n  bad: [\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ code: 'FJC_SPEC_SYNTAX_ERROR', line: 1 });
  });
});
