// TriggerSavepoint: a savepoint of a job that keeps running, under the action's triggerId.
import type { DeployerAction } from '@fjc/contracts';
import { success, type ActionOutcome } from '../action-outcome';
import type { CarryOutContext } from './carry-out-context';
import { settleSavepoint } from './settle-savepoint';

type TriggerSavepointAction = Extract<DeployerAction, { kind: 'TriggerSavepoint' }>;

export async function triggerSavepoint(ctx: CarryOutContext, action: TriggerSavepointAction): Promise<ActionOutcome> {
  const savepoint = await settleSavepoint(ctx, {
    mode: 'trigger',
    flinkJobId: action.flinkJobId,
    triggerId: action.triggerId,
    targetDirectory: action.targetDirectory,
  });
  return savepoint.ok ? success(action.flinkJobId, { triggerId: action.triggerId, location: savepoint.location }) : savepoint;
}
