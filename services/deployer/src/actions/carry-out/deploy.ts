// Deploy: submit the spec's job under the chosen Flink job id, from the given savepoint or
// checkpoint when there is one. Succeeds once Flink has accepted the job; whether it then
// reaches RUNNING is reported by the observations.
import type { DeployerAction } from '@fjc/contracts';
import { success, type ActionOutcome } from '../action-outcome';
import type { CarryOutContext } from './carry-out-context';
import { submitJob } from './submit-job';

type DeployAction = Extract<DeployerAction, { kind: 'Deploy' }>;

export async function deploy(ctx: CarryOutContext, action: DeployAction): Promise<ActionOutcome> {
  const submitted = await submitJob(ctx, { flinkJobId: action.flinkJobId, spec: action.spec, restorePath: action.restoreFrom?.path });
  return submitted.ok ? success(action.flinkJobId) : submitted;
}
