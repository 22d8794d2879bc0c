import fc from 'fast-check';
import type { JobSpec } from '../spec/job-spec';
import { specHash } from '../spec/canonical';
import { validateSpec } from '../spec/validate-spec';
import { specInput } from '../testing/spec-arbitraries';
import { batchSpec, streamSpec, withField } from '../testing/spec-cases';
import { changedSpecFields, classifySpecChange, type SpecChangeKind } from './classify-change';

function parse(input: unknown): JobSpec {
  const result = validateSpec(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

const change = (changes: Record<string, unknown>, base = streamSpec()) =>
  Object.entries(changes).reduce((spec, [path, value]) => withField(spec, path, value), base);

describe('classifySpecChange', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>, SpecChangeKind][] = [
    ['nothing', streamSpec(), streamSpec(), 'none'],
    ['the same duration in other units', change({ 'deployment.checkpoint_interval': '1m' }), change({ 'deployment.checkpoint_interval': 60000 }), 'none'],
    ['a default written out', streamSpec(), change({ 'deployment.parallelism': 1, namespace: 'default' }), 'none'],
    ['labels', streamSpec(), change({ labels: { team: 'data' } }), 'metadata-only'],
    ['the namespace', streamSpec(), change({ namespace: 'payments' }), 'metadata-only'],
    ['alerting', streamSpec(), change({ 'monitoring.alert_on_backpressure': true }), 'metadata-only'],
    ['a cluster-level resource', streamSpec(), change({ 'resources.memory': '4g' }), 'metadata-only'],
    ['the periodic savepoint interval', streamSpec(), change({ 'stream_config.savepoint_trigger_interval': '1h' }), 'metadata-only'],
    ['the schedule of a batch job', batchSpec(), change({ 'batch_config.cron': '0 3 * * *' }, batchSpec()), 'metadata-only'],
    ['only the desired state', streamSpec(), change({ state: 'suspended' }), 'none'],
    ['parallelism', streamSpec(), change({ 'deployment.parallelism': 4 }), 'rescale'],
    ['parallelism and labels', streamSpec(), change({ 'deployment.parallelism': 4, labels: { a: 'b' } }), 'rescale'],
    ['parallelism while suspending', streamSpec(), change({ 'deployment.parallelism': 4, state: 'suspended' }), 'rescale'],
    ['parallelism and program arguments', streamSpec(), change({ 'deployment.parallelism': 4, args: ['--x'] }), 'redeploy'],
    ['the checkpoint interval', streamSpec(), change({ 'deployment.checkpoint_interval': '5m' }), 'redeploy'],
    ['the jar', streamSpec(), change({ artifact_path: 'jobs/v2.jar' }), 'redeploy'],
    ['the signature', streamSpec(), change({ artifact_signature: `sha256:${'9'.repeat(64)}` }), 'redeploy'],
    ['the upgrade mode', streamSpec(), change({ 'deployment.upgrade_mode': 'last-state' }), 'redeploy'],
    ['the job type', streamSpec(), { ...streamSpec(), job_type: 'batch' }, 'redeploy'],
    ['the cluster', streamSpec(), change({ cluster: 'other' }), 'redeploy'],
  ];

  it.each(cases)('classifies a change of %s', (_name, previous, next, expected) => {
    expect(classifySpecChange(parse(previous), parse(next))).toBe(expected);
  });

  it('names the changed fields', () => {
    const previous = parse(streamSpec());
    const next = parse(change({ 'deployment.parallelism': 4, labels: { a: 'b' }, state: 'suspended' }));
    expect(changedSpecFields(previous, next)).toEqual(['state', 'deployment.parallelism', 'labels']);
  });

  it('is symmetric and says none exactly when nothing but the desired state differs', () => {
    fc.assert(
      fc.property(specInput, specInput, (a, b) => {
        const [x, y] = [parse(a), parse(b)];
        expect(classifySpecChange(x, y)).toBe(classifySpecChange(y, x));
        expect(classifySpecChange(x, x)).toBe('none');
        if (specHash(x) === specHash(y)) expect(classifySpecChange(x, y)).toBe('none');
        const onlyState = changedSpecFields(x, y).every((path) => path === 'state');
        expect(classifySpecChange(x, y) === 'none').toBe(onlyState);
      }),
    );
  });
});
