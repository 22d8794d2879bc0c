import type { JobSpec } from './job-spec';
import { specChanges } from './spec-changes';

const spec = (fields: Record<string, unknown>) => fields as unknown as JobSpec;

describe('specChanges', () => {
  it('lists changed, added and removed fields by their spec path, in path order', () => {
    const a = spec({ job_id: 'orders', args: ['--rate', '20'], deployment: { parallelism: 1 }, labels: { team: 'a' } });
    const b = spec({ job_id: 'orders', args: ['--rate', '30'], deployment: { parallelism: 2, upgrade_mode: 'savepoint' } });
    expect(specChanges(a, b)).toEqual([
      { path: 'args[1]', change: 'changed', old: '20', new: '30' },
      { path: 'deployment.parallelism', change: 'changed', old: 1, new: 2 },
      { path: 'deployment.upgrade_mode', change: 'added', new: 'savepoint' },
      { path: 'labels', change: 'removed', old: { team: 'a' } },
    ]);
  });

  it('finds nothing between equal specs, whatever their key order', () => {
    expect(specChanges(spec({ a: 1, b: { c: 2, d: 3 } }), spec({ b: { d: 3, c: 2 }, a: 1 }))).toEqual([]);
  });
});
