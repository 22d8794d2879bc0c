// Stop: with a savepoint, stop-with-savepoint under the action's triggerId and wait until the
// job is terminal; without, cancel it (reporting the checkpoint it retained, as Cancel does). A job Flink does not know is already stopped, unless a
// savepoint was asked for (then there is nothing to take one of, and the action fails).
import type { DeployerAction } from '@fjc/contracts';
import { success, type ActionOutcome } from '../action-outcome';
import type { CarryOutContext } from './carry-out-context';
import { cancelRetaining } from './cancel';
import { waitUntilTerminal } from './job-termination';
import { settleSavepoint } from './settle-savepoint';

type StopAction = Extract<DeployerAction, { kind: 'Stop' }>;

export async function stop(ctx: CarryOutContext, action: StopAction): Promise<ActionOutcome> {
  if (!action.withSavepoint) return cancelRetaining(ctx, action.flinkJobId);
  const triggerId = action.triggerId as string;
  const savepoint = await settleSavepoint(ctx, {
    mode: 'stop',
    flinkJobId: action.flinkJobId,
    triggerId,
    targetDirectory: action.targetDirectory,
    drain: action.drain,
  });
  if (!savepoint.ok) return savepoint;
  await waitUntilTerminal(ctx, action.flinkJobId);
  return success(action.flinkJobId, { triggerId, location: savepoint.location });
}
