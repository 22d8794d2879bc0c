// Cancel: cancel the job and wait until it is terminal; a job Flink does not know is already gone.
import type { DeployerAction } from '@fjc/contracts';
import { success, type ActionOutcome } from '../action-outcome';
import type { CarryOutContext } from './carry-out-context';
import { cancelAndWait } from './job-termination';

type CancelAction = Extract<DeployerAction, { kind: 'Cancel' }>;

export async function cancel(ctx: CarryOutContext, action: CancelAction): Promise<ActionOutcome> {
  await cancelAndWait(ctx, action.flinkJobId);
  return success(action.flinkJobId);
}
