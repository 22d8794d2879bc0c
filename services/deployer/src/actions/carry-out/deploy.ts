// Deploy: submit the spec's job under the chosen Flink job id, from the given savepoint or
// checkpoint when there is one. Succeeds once Flink has accepted the job; whether it then
// reaches RUNNING is reported by the observations.
import type { DeployerAction } from '@fjc/contracts';
import { success, type ActionOutcome } from '../action-outcome';
import type { CarryOutContext } from './carry-out-context';
import { newestCheckpointBeside } from './newest-checkpoint';
import { submitJob } from './submit-job';

type DeployAction = Extract<DeployerAction, { kind: 'Deploy' }>;

export async function deploy(ctx: CarryOutContext, action: DeployAction): Promise<ActionOutcome> {
  const restoreFrom = await restoreSource(ctx, action);
  const submitted = await submitJob(ctx, { flinkJobId: action.flinkJobId, spec: action.spec, restorePath: restoreFrom?.path });
  if (!submitted.ok) return submitted;
  return restoreFrom === undefined ? success(action.flinkJobId) : { ...success(action.flinkJobId), restoredFrom: restoreFrom };
}

/** The state to start from: as asked, or a newer checkpoint completed beside the one asked for. */
async function restoreSource(ctx: CarryOutContext, action: DeployAction): Promise<DeployAction['restoreFrom']> {
  const asked = action.restoreFrom;
  if (asked?.kind !== 'checkpoint') return asked;
  const newest = await newestCheckpointBeside(asked.path);
  if (newest.newer) {
    ctx.log(
      { event: 'flink.restore.newer-checkpoint', flinkJobId: action.flinkJobId, recorded: asked.path, restorePath: newest.path },
      'a newer retained checkpoint completed after the last observation; restoring from it',
    );
  }
  return { kind: 'checkpoint', path: newest.path };
}
