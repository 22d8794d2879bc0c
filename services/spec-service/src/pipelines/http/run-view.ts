// A run as the API shows it: the run's fields and one entry per stage, in the order written.
import { stageJobId, type PipelineRunView } from '@fjc/contracts';
import type { RunRow } from '../persistence/pipeline-store';

export function runView(row: RunRow): PipelineRunView {
  const { state } = row;
  return {
    runId: row.runId,
    pipelineId: row.pipelineId,
    pipelineVersion: row.pipelineVersion,
    trigger: row.trigger,
    scheduledTime: state.scheduledTime,
    status: state.status,
    reason: state.reason,
    startedAt: row.startedAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    stages: state.stageOrder.flatMap((stage) => { const s = state.stages[stage]; return s ? [[stage, s] as const] : []; }).map(([stage, s]) => ({
      stage,
      status: s.status,
      attempt: s.attempt,
      jobId: stageJobId(row.pipelineId, stage),
      args: s.args === null ? null : [...s.args],
      outputs: s.outputs === null ? null : { ...s.outputs },
      retryAt: s.retryAt,
      reason: s.reason,
    })),
  };
}
