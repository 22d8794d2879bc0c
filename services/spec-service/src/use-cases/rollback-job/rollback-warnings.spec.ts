import { specOf } from '../../testing/spec-stream-fixtures';
import { derivedMaxParallelism, rollbackWarnings } from './rollback-warnings';

describe('derivedMaxParallelism', () => {
  it.each([
    [1, 128],
    [85, 128],
    [86, 256],
    [100, 256],
    [1000, 2048],
    [30000, 32768],
  ])('parallelism %i: %i, as Flink derives it', (parallelism, expected) => {
    expect(derivedMaxParallelism(parallelism)).toBe(expected);
  });
});

describe('rollbackWarnings', () => {
  const target = (deployment: Record<string, unknown>) => ({ specHash: 'sha256:target', spec: specOf({ deployment: { upgrade_mode: 'savepoint', ...deployment } }) });
  const running = { version: 4, spec: specOf({ deployment: { upgrade_mode: 'savepoint', parallelism: 2 } }) };
  const savepoint = (version: number, disposedAt: string | null = null) => ({
    path: `file:///sp/${version}`,
    version,
    specHash: 'sha256:other',
    flinkJobId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    takenAt: '2026-01-01T00:00:00.000Z',
    origin: 'upgrade' as const,
    disposedAt,
  });
  const codes = (input: Parameters<typeof rollbackWarnings>[0]) => rollbackWarnings(input).map((w) => w.code);

  it('given N with its own savepoint: nothing to warn of', () => {
    expect(codes({ toVersion: 2, target: target({ parallelism: 200 }), running, savepoints: [savepoint(2)] })).toEqual([]);
  });
  it('given N without a savepoint (its only one disposed) and the same derived max parallelism: no savepoint only', () => {
    expect(codes({ toVersion: 2, target: target({ parallelism: 3 }), running, savepoints: [savepoint(2, '2026-01-02T00:00:00.000Z')] })).toEqual(['FJC_ROLLBACK_NO_SAVEPOINT']);
  });
  it('given N without a savepoint and another derived max parallelism than the running version: both', () => {
    expect(codes({ toVersion: 2, target: target({ parallelism: 90 }), running, savepoints: [] })).toEqual(['FJC_ROLLBACK_NO_SAVEPOINT', 'FJC_ROLLBACK_MAX_PARALLELISM_CHANGED']);
  });
  it('given N with allow_non_restored_state: warned even with its own savepoint', () => {
    expect(codes({ toVersion: 2, target: target({ allow_non_restored_state: true }), running, savepoints: [savepoint(2)] })).toEqual(['FJC_ROLLBACK_NON_RESTORED_STATE']);
  });
  it('given N without a savepoint but one the operator named: nothing to warn of', () => {
    expect(codes({ named: true, toVersion: 2, target: target({ parallelism: 90 }), running, savepoints: [] })).toEqual([]);
  });
  it('given a stateless N: no state to lose, no warnings', () => {
    expect(codes({ toVersion: 2, target: target({ upgrade_mode: 'stateless', allow_non_restored_state: true }), running, savepoints: [] })).toEqual([]);
  });
});
