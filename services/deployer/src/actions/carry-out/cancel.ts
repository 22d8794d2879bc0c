// Cancel: cancel the job and wait until it is terminal; a job Flink does not know is already gone.
// When the job starts again from its state (keepState) and it retains checkpoints (it had one
// before the cancel), it reports the one the cancel left, read once Flink's cached statistics
// postdate the end: the state the redeploy starts from.
import type { DeployerAction } from '@fjc/contracts';
import { success, type ActionOutcome, type ActionSuccess } from '../action-outcome';
import type { CarryOutContext } from './carry-out-context';
import { cancelAndWait } from './job-termination';
import { checkpointsAfterEnd, retainedCheckpointOf } from './retained-state';

type CancelAction = Extract<DeployerAction, { kind: 'Cancel' }>;

export async function cancel(ctx: CarryOutContext, action: CancelAction): Promise<ActionOutcome> {
  if (action.keepState === true) return cancelRetaining(ctx, action.flinkJobId);
  await cancelAndWait(ctx, action.flinkJobId);
  return success(action.flinkJobId);
}

/** Cancels the job and waits until it is terminal, with the checkpoint it retained (Cancel, Stop without savepoint). */
export async function cancelRetaining(ctx: CarryOutContext, flinkJobId: string): Promise<ActionSuccess> {
  // Best effort: a job whose statistics cannot be read is cancelled all the same.
  const before = await ctx.flink.checkpoints(flinkJobId).catch(() => null);
  const end = await cancelAndWait(ctx, flinkJobId);
  if (end === 'NOT_FOUND' || before?.latestCompleted?.externalPath === undefined) return success(flinkJobId);
  const retained = retainedCheckpointOf(await checkpointsAfterEnd(ctx, flinkJobId).catch(() => null), ctx.clock.now());
  return retained === undefined ? success(flinkJobId) : { ...success(flinkJobId), retainedCheckpoint: retained };
}
