import type { LifecycleState } from '@fjc/contracts';
import { stepTransition, type TransitionInProgress } from './transitions';

const T0 = new Date('2026-11-28T10:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** Walks a job through states, one second apart, and returns what finished. */
function walk(states: LifecycleState[]): Array<{ transition: string; outcome: string; seconds: number }> {
  let current: TransitionInProgress | null = null;
  const finished: Array<{ transition: string; outcome: string; seconds: number }> = [];
  states.forEach((state, i) => {
    const step = stepTransition(current, state, at(i));
    current = step.next;
    if (step.finished) finished.push(step.finished);
  });
  return finished;
}

describe('stepTransition', () => {
  it('times apply to running from DEPLOYING to RUNNING, through restarts on the way', () => {
    expect(walk(['DEPLOYING', 'RESTARTING', 'DEPLOYING', 'RESTARTING', 'RUNNING'])).toEqual([{ transition: 'apply_to_running', outcome: 'succeeded', seconds: 4 }]);
  });

  it('ends an upgrade that turns into a rollback as failed, then times the rollback', () => {
    expect(walk(['RUNNING', 'UPGRADING', 'RUNNING', 'ROLLING_BACK', 'ROLLED_BACK'])).toEqual([
      { transition: 'upgrade', outcome: 'succeeded', seconds: 1 },
      { transition: 'rollback', outcome: 'succeeded', seconds: 1 },
    ]);
    expect(walk(['UPGRADING', 'ROLLING_BACK', 'NEEDS_ATTENTION'])).toEqual([
      { transition: 'upgrade', outcome: 'failed', seconds: 1 },
      { transition: 'rollback', outcome: 'failed', seconds: 1 },
    ]);
  });

  it('times stops (suspend and delete) and failed deploys', () => {
    expect(walk(['SUSPENDING', 'SUSPENDED'])).toEqual([{ transition: 'stop', outcome: 'succeeded', seconds: 1 }]);
    expect(walk(['DELETING', 'DELETED'])).toEqual([{ transition: 'stop', outcome: 'succeeded', seconds: 1 }]);
    expect(walk(['DEPLOYING', 'FAILED'])).toEqual([{ transition: 'apply_to_running', outcome: 'failed', seconds: 1 }]);
  });

  it('times nothing for moves outside a transition, and hands a deploy over to a stop', () => {
    expect(walk(['RUNNING', 'RESTARTING', 'RUNNING', 'FAILING', 'RUNNING'])).toEqual([]);
    expect(walk(['DEPLOYING', 'SUSPENDING', 'SUSPENDED'])).toEqual([{ transition: 'stop', outcome: 'succeeded', seconds: 1 }]);
  });

  it('keeps a transition in progress while the state repeats', () => {
    const started = stepTransition(null, 'UPGRADING', at(0)).next;
    expect(stepTransition(started, 'UPGRADING', at(5))).toEqual({ next: started, finished: null });
  });
});
