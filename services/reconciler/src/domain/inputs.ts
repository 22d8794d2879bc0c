// The inputs the reconciler evolves its job state from: FJC events of the four topics it
// consumes, narrowed to what it reads.
import type { EventOf, FjcEvent } from '@fjc/contracts';

export type ReconcilerInput = Extract<
  FjcEvent,
  {
    type:
      | 'SpecUpdated'
      | 'JobSuspendRequested'
      | 'JobResumeRequested'
      | 'JobRolledBack'
      | 'JobDeleteRequested'
      | 'SavepointRequested'
      | 'JobRecoveryRequested'
      | 'ScheduleTick'
      | 'ActionSucceeded'
      | 'ActionFailed'
      | 'JobObserved';
  }
>;

const INPUT_TYPES: ReadonlySet<string> = new Set([
  'SpecUpdated', 'JobSuspendRequested', 'JobResumeRequested', 'JobRolledBack', 'JobDeleteRequested',
  'SavepointRequested', 'JobRecoveryRequested', 'ScheduleTick', 'ActionSucceeded', 'ActionFailed', 'JobObserved',
]);

export function isReconcilerInput(event: FjcEvent): event is ReconcilerInput {
  return INPUT_TYPES.has(event.type);
}

export type SpecVersionEvent = EventOf<'SpecUpdated' | 'JobSuspendRequested' | 'JobResumeRequested' | 'JobRolledBack'>;
