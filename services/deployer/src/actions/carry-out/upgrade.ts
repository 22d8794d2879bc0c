// Upgrade: replace the running job by the new version, carrying state as the upgrade mode says.
//   savepoint:  stop with savepoint under the action's triggerId, wait until the old job is
//               terminal, start the new job from that savepoint;
//   stateless:  cancel, wait, start without state;
//   last-state: cancel, wait, start from the newest retained checkpoint (the spec's
//               RETAIN_ON_CANCELLATION keeps it), read once Flink's cached checkpoint
//               statistics postdate the cancel; with none, refuse before cancelling
//               (FJC_STATE_NOT_FOUND): the old job keeps running and an operator decides.
// Every step is safe to repeat, and a new job Flink already has means the upgrade happened.
import type { DeployerAction } from '@fjc/contracts';
import { failure, success, type ActionOutcome, type SavepointRef, type Step } from '../action-outcome';
import type { CarryOutContext } from './carry-out-context';
import { cancelAndWait, waitUntilTerminal } from './job-termination';
import { checkpointsAfterEnd, latestRetainedState, retainedCheckpointOf, type RetainedCheckpoint } from './retained-state';
import { settleSavepoint } from './settle-savepoint';
import { submitJob } from './submit-job';

type UpgradeAction = Extract<DeployerAction, { kind: 'Upgrade' }>;

interface OldJobDown {
  readonly restorePath?: string;
  readonly savepoint?: SavepointRef;
  /** last-state: the retained state the new job starts from, for the ActionSucceeded event. */
  readonly restoredFrom?: { readonly kind: 'checkpoint' | 'savepoint'; readonly path: string };
  /** last-state: the newest checkpoint the old job left, for the reconciler. */
  readonly retainedCheckpoint?: RetainedCheckpoint;
}

export async function upgrade(ctx: CarryOutContext, action: UpgradeAction): Promise<ActionOutcome> {
  // 1. The new job already in Flink: an earlier attempt got that far.
  if (ctx.attempt > 1 && (await ctx.flink.job(action.flinkJobId)) !== null) {
    ctx.log({ event: 'flink.job.found', flinkJobId: action.flinkJobId }, 'an earlier attempt already started the new job');
    return success(action.flinkJobId, await knownSavepoint(ctx, action));
  }
  // 2. Take the old job down, learning where its state is.
  const down = await takeDown(ctx, action);
  if (!down.ok) return down;
  // 3. Start the new one from it.
  const submitted = await submitJob(ctx, { flinkJobId: action.flinkJobId, spec: action.spec, restorePath: down.restorePath });
  if (!submitted.ok) return submitted;
  const done = success(action.flinkJobId, down.savepoint);
  return {
    ...done,
    ...(down.restoredFrom ? { restoredFrom: down.restoredFrom } : {}),
    ...(down.retainedCheckpoint ? { retainedCheckpoint: down.retainedCheckpoint } : {}),
  };
}

async function takeDown(ctx: CarryOutContext, action: UpgradeAction): Promise<Step<OldJobDown>> {
  switch (action.upgradeMode) {
    case 'savepoint': {
      // The schema requires the trigger id in savepoint mode.
      const triggerId = action.savepointTriggerId as string;
      const savepoint = await settleSavepoint(ctx, {
        mode: 'stop',
        flinkJobId: action.fromFlinkJobId,
        triggerId,
        targetDirectory: action.spec.deployment.savepoint_path,
      });
      if (!savepoint.ok) return savepoint;
      await waitUntilTerminal(ctx, action.fromFlinkJobId);
      return { ok: true, restorePath: savepoint.location, savepoint: { triggerId, location: savepoint.location } };
    }
    case 'stateless':
      await cancelAndWait(ctx, action.fromFlinkJobId);
      return { ok: true };
    case 'last-state': {
      // Never fall back to stateless in silence: without a retained checkpoint the upgrade is
      // refused before anything is cancelled.
      const before = latestRetainedState(await ctx.flink.checkpoints(action.fromFlinkJobId));
      if (before === undefined) {
        ctx.log(
          { event: 'flink.upgrade.no-retained-state', code: 'FJC_STATE_NOT_FOUND', flinkJobId: action.fromFlinkJobId },
          'last-state upgrade refused: Flink retains no checkpoint of the running job; it keeps running',
        );
        return failure(
          'FJC_STATE_NOT_FOUND',
          `last-state upgrade refused: Flink retains no checkpoint of job ${action.fromFlinkJobId}, which keeps running the old version (fjc recover --from-savepoint PATH or --empty-state)`,
          false,
        );
      }
      await cancelAndWait(ctx, action.fromFlinkJobId);
      // Read right after the cancel, Flink's cached statistics can name a checkpoint a newer one
      // has subsumed and deleted (the new job would fail to restore); see checkpointsAfterEnd.
      const summary = await checkpointsAfterEnd(ctx, action.fromFlinkJobId);
      const retained = retainedCheckpointOf(summary, ctx.clock.now());
      const after = latestRetainedState(summary);
      if (after === undefined) {
        ctx.log(
          { event: 'flink.upgrade.retained-state-unknown', flinkJobId: action.fromFlinkJobId, restorePath: before },
          'Flink no longer reports the cancelled job\'s checkpoints; restoring from the one it reported before the cancel',
        );
      }
      const restorePath = after ?? before;
      const kind = restorePath === summary?.latestSavepoint?.externalPath ? 'savepoint' : 'checkpoint';
      return { ok: true, restorePath, restoredFrom: { kind, path: restorePath }, ...(retained ? { retainedCheckpoint: retained } : {}) };
    }
  }
}

/** The savepoint of an upgrade finished by an earlier attempt, as far as anyone still knows it. */
async function knownSavepoint(ctx: CarryOutContext, action: UpgradeAction): Promise<SavepointRef | undefined> {
  const triggerId = action.savepointTriggerId;
  if (action.upgradeMode !== 'savepoint' || triggerId === undefined) return undefined;
  if (ctx.recordedSavepoint !== undefined) return { triggerId, location: ctx.recordedSavepoint };
  const status = await ctx.flink.savepointStatus(action.fromFlinkJobId, triggerId);
  if (status.status === 'COMPLETED') return { triggerId, location: status.location };
  const archived = (await ctx.flink.checkpoints(action.fromFlinkJobId))?.latestSavepoint?.externalPath;
  return archived === undefined ? undefined : { triggerId, location: archived };
}
