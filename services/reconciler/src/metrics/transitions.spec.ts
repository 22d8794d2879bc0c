import { finishedTransition, transitionOf } from './transitions';

describe('finishedTransition', () => {
  it.each([
    ['DEPLOYING', 'RUNNING', 'apply_to_running', 'succeeded'],
    ['DEPLOYING', 'FAILED', 'apply_to_running', 'failed'],
    ['UPGRADING', 'RUNNING', 'upgrade', 'succeeded'],
    ['UPGRADING', 'ROLLING_BACK', 'upgrade', 'failed'],
    ['ROLLING_BACK', 'ROLLED_BACK', 'rollback', 'succeeded'],
    ['ROLLING_BACK', 'NEEDS_ATTENTION', 'rollback', 'failed'],
    ['SUSPENDING', 'SUSPENDED', 'stop', 'succeeded'],
    ['DELETING', 'DELETED', 'stop', 'succeeded'],
  ] as const)('%s -> %s ends %s (%s)', (from, to, transition, outcome) => {
    expect(finishedTransition(from, to)).toEqual({ transition, outcome });
  });

  it.each([
    [null, 'DEPLOYING'],
    ['RUNNING', 'RUNNING'],
    ['DEPLOYING', 'DEPLOYING'],
    ['RUNNING', 'RESTARTING'],
    ['CREATED', 'DEPLOYING'],
  ] as const)('%s -> %s ends nothing', (from, to) => {
    expect(finishedTransition(from, to)).toBeNull();
  });

  it('names the transition a state is in', () => {
    expect(transitionOf('UPGRADING')).toBe('upgrade');
    expect(transitionOf('RUNNING')).toBeNull();
  });
});
