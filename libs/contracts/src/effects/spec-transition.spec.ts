import { validateSpec, type JobSpec } from '../index';
import { keepsState, specTransition } from './spec-transition';

function spec(overrides: Record<string, unknown> = {}): JobSpec {
  const result = validateSpec({ job_id: 'j', job_type: 'stream', artifact_path: 'a.jar', ...overrides });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

describe('specTransition: what the reconciler does with a running job on a new version', () => {
  it.each([
    ['nothing changed', {}, { kind: 'adopt', change: 'none' }],
    ['only the desired state (compared on its own)', { state: 'suspended' }, { kind: 'adopt', change: 'none' }],
    ['labels', { labels: { team: 'x' } }, { kind: 'adopt', change: 'metadata-only' }],
    ['parallelism', { deployment: { parallelism: 3 } }, { kind: 'upgrade', change: 'rescale', upgradeMode: 'stateless' }],
    ['parallelism, savepoint mode', { deployment: { parallelism: 3, upgrade_mode: 'savepoint' } }, { kind: 'upgrade', change: 'redeploy', upgradeMode: 'savepoint' }],
    ['args', { args: ['--x'] }, { kind: 'upgrade', change: 'redeploy', upgradeMode: 'stateless' }],
  ])('%s', (_what, overrides, expected) => {
    expect(specTransition(spec(), spec(overrides))).toEqual(expected);
  });

  it('upgrades in the new spec\'s upgrade mode', () => {
    const from = spec({ deployment: { upgrade_mode: 'last-state' } });
    expect(specTransition(from, spec({ deployment: { upgrade_mode: 'last-state', parallelism: 2 } }))).toEqual({ kind: 'upgrade', change: 'rescale', upgradeMode: 'last-state' });
  });

  it('keepsState: stream jobs outside stateless mode only', () => {
    expect([spec(), spec({ deployment: { upgrade_mode: 'savepoint' } }), spec({ job_type: 'batch' })].map(keepsState)).toEqual([false, true, false]);
  });
});
