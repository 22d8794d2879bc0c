// Carries out one action against its cluster and says what became of it. Flink's errors that
// outlived the transient retries (and waits past their deadline) become failures here; anything
// else (the database, a bug, the service stopping) propagates.
import type { DeployerAction } from '@fjc/contracts';
import { failureOfError, type ActionOutcome } from '../action-outcome';
import type { CarryOutContext } from './carry-out-context';
import { cancel } from './cancel';
import { cleanUp } from './clean-up';
import { deploy } from './deploy';
import { disposeSavepoint } from './dispose-savepoint';
import { stop } from './stop';
import { triggerSavepoint } from './trigger-savepoint';
import { upgrade } from './upgrade';

export async function carryOut(ctx: CarryOutContext, action: DeployerAction): Promise<ActionOutcome> {
  try {
    switch (action.kind) {
      case 'Deploy':
        return await deploy(ctx, action);
      case 'Upgrade':
        return await upgrade(ctx, action);
      case 'Stop':
        return await stop(ctx, action);
      case 'Cancel':
        return await cancel(ctx, action);
      case 'TriggerSavepoint':
        return await triggerSavepoint(ctx, action);
      case 'DisposeSavepoint':
        return await disposeSavepoint(ctx, action);
      case 'CleanUp':
        return await cleanUp(ctx, action);
    }
  } catch (err) {
    return failureOfError(err);
  }
}

/** The Flink jobs an action touches besides the one it leaves running: observed from its start on. */
export function jobsActedOn(action: DeployerAction): string[] {
  switch (action.kind) {
    case 'Upgrade':
      return [action.fromFlinkJobId];
    case 'Deploy':
    case 'DisposeSavepoint':
    case 'CleanUp': // its runs have ended: observing them again would only bring back what it prunes
      return [];
    default:
      return [action.flinkJobId];
  }
}
