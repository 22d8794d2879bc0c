// DisposeSavepoint: asks Flink to delete a savepoint (POST /savepoint-disposal) and polls the
// disposal (GET /savepoint-disposal/:triggerid) until it settles, bounded by the savepoint
// timeout. Flink picks the disposal's trigger id, so an interrupted attempt simply asks again:
// a savepoint already gone (disposed by the earlier attempt, or never there) counts as disposed.
import type { DeployerAction } from '@fjc/contracts';
import { failure, type ActionOutcome } from '../action-outcome';
import { deadline, type CarryOutContext } from './carry-out-context';

type DisposeSavepointAction = Extract<DeployerAction, { kind: 'DisposeSavepoint' }>;

export async function disposeSavepoint(ctx: CarryOutContext, action: DisposeSavepointAction): Promise<ActionOutcome> {
  const until = deadline(ctx, ctx.savepointTimeoutMs, `disposal of savepoint ${action.path}`);
  let flinkTrigger = await ctx.flink.disposeSavepoint(action.path);
  ctx.log({ event: 'flink.savepoint.disposal.triggered', path: action.path, triggerId: action.triggerId, flinkTriggerId: flinkTrigger }, 'savepoint disposal triggered');
  for (;;) {
    const status = await ctx.flink.savepointDisposalStatus(flinkTrigger);
    switch (status.status) {
      case 'COMPLETED':
        return { ok: true, disposedPath: action.path };
      case 'FAILED':
        if (status.gone) {
          ctx.log({ event: 'flink.savepoint.disposal.gone', path: action.path }, 'nothing at the savepoint path: already disposed');
          return { ok: true, disposedPath: action.path };
        }
        return failure('FJC_SAVEPOINT_FAILED', `Flink could not dispose of savepoint ${action.path}: ${status.message}`, true);
      case 'UNKNOWN':
        // The JobManager forgot the operation (restarted): ask again.
        flinkTrigger = await ctx.flink.disposeSavepoint(action.path);
        break;
      case 'IN_PROGRESS':
        break;
    }
    until.check();
    await ctx.sleep(ctx.pollMs, ctx.signal);
  }
}
