// For upgrade_mode last-state: the newest state a cancelled job left behind. Checkpoint and
// savepoint ids share one counter per job (continued across restores), so the highest id with a
// stored path is the latest state; a run that took nothing since its restore offers its restore source.
import type { CheckpointSummary } from '../../flink/flink-port';
import type { CarryOutContext } from './carry-out-context';

export function latestRetainedState(summary: CheckpointSummary | null): string | undefined {
  if (summary === null) return undefined;
  const candidates = [summary.latestCompleted, summary.latestSavepoint, summary.restored]
    .filter((c): c is { id: number; externalPath: string } => c?.externalPath !== undefined)
    .sort((a, b) => b.id - a.id);
  return candidates[0]?.externalPath;
}

/** The retained checkpoint an ended job left, as ActionSucceeded `retainedCheckpoint` records it. */
export interface RetainedCheckpoint {
  readonly id: number;
  readonly path: string;
  readonly completedAt: string;
}

/**
 * The checkpoint statistics of a job seen terminal just now, as they stand after its end. Flink
 * answers them from a cache up to its refresh interval old: an answer read right after the end
 * can name a checkpoint that a newer one completed meanwhile has subsumed and deleted. One read
 * that long after the job was seen ended was computed after it ended.
 */
export async function checkpointsAfterEnd(ctx: CarryOutContext, flinkJobId: string): Promise<CheckpointSummary | null> {
  await ctx.sleep(await ctx.flink.checkpointStatsMaxAgeMs(), ctx.signal);
  return ctx.flink.checkpoints(flinkJobId);
}

/** The newest completed checkpoint the summary names with a path; undefined when none. */
export function retainedCheckpointOf(summary: CheckpointSummary | null, now: Date): RetainedCheckpoint | undefined {
  const completed = summary?.latestCompleted;
  if (completed?.externalPath === undefined) return undefined;
  return { id: completed.id, path: completed.externalPath, completedAt: new Date(completed.completedAt ?? now.getTime()).toISOString() };
}
