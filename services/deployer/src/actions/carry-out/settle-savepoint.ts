// Takes (or finds) the savepoint of one trigger id: asks Flink, lets decideSavepointStep pick the
// next step, and repeats until the savepoint is done or failed, bounded by the savepoint timeout.
// Re-sending a trigger id is harmless, so an interrupted attempt just runs this again.
import type { Step } from '../action-outcome';
import { deadline, type CarryOutContext } from './carry-out-context';
import { decideSavepointStep, type SavepointMode } from './savepoint-step';

export interface SavepointRequest {
  readonly mode: SavepointMode;
  readonly flinkJobId: string;
  readonly triggerId: string;
  readonly targetDirectory?: string;
  readonly drain?: boolean;
}

export async function settleSavepoint(ctx: CarryOutContext, req: SavepointRequest): Promise<Step<{ location: string }>> {
  const until = deadline(ctx, ctx.savepointTimeoutMs, `savepoint ${req.triggerId} of job ${req.flinkJobId}`);
  let triggered = false;
  let archived: string | null | undefined;
  for (;;) {
    const status = ctx.recordedSavepoint === undefined ? await ctx.flink.savepointStatus(req.flinkJobId, req.triggerId) : { status: 'UNKNOWN' as const };
    const jobState = (await ctx.flink.job(req.flinkJobId))?.state ?? 'NOT_FOUND';
    const step = decideSavepointStep({ mode: req.mode, flinkJobId: req.flinkJobId, recorded: ctx.recordedSavepoint, status, jobState, triggered, archived });
    switch (step.kind) {
      case 'done':
        if (ctx.recordedSavepoint === undefined) {
          await ctx.recordSavepoint({ flinkJobId: req.flinkJobId, triggerId: req.triggerId, status: 'COMPLETED', location: step.location, jobState });
        }
        return { ok: true, location: step.location };
      case 'failed':
        if (step.reportFailed) {
          await ctx.recordSavepoint({
            flinkJobId: req.flinkJobId,
            triggerId: req.triggerId,
            status: 'FAILED',
            failureCause: step.failure.message,
            jobState,
          });
        }
        return step.failure;
      case 'look-up-archive':
        archived = (await ctx.flink.checkpoints(req.flinkJobId))?.latestSavepoint?.externalPath ?? null;
        continue;
      case 'trigger':
        if (req.mode === 'stop') {
          await ctx.flink.stopWithSavepoint(req.flinkJobId, { triggerId: req.triggerId, targetDirectory: req.targetDirectory, drain: req.drain });
        } else {
          await ctx.flink.triggerSavepoint(req.flinkJobId, { triggerId: req.triggerId, targetDirectory: req.targetDirectory });
        }
        triggered = true;
        ctx.log({ event: 'flink.savepoint.triggered', flinkJobId: req.flinkJobId, triggerId: req.triggerId, mode: req.mode }, 'savepoint triggered');
        continue;
      case 'wait':
        until.check();
        await ctx.sleep(ctx.pollMs, ctx.signal);
    }
  }
}
