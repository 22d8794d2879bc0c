// For upgrade_mode last-state: the newest state a cancelled job left behind. Checkpoint and
// savepoint ids share one counter per job (continued across restores), so the highest id with a
// stored path is the latest state; a run that took nothing since its restore offers its restore source.
import type { CheckpointSummary } from '../../flink/flink-port';

export function latestRetainedState(summary: CheckpointSummary | null): string | undefined {
  if (summary === null) return undefined;
  const candidates = [summary.latestCompleted, summary.latestSavepoint, summary.restored]
    .filter((c): c is { id: number; externalPath: string } => c?.externalPath !== undefined)
    .sort((a, b) => b.id - a.id);
  return candidates[0]?.externalPath;
}
