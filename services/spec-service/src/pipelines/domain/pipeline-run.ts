// A pipeline run as the fold of its events (evolve), and the pure decisions over it: which
// stages start now, what a stage's outcome means (retry with back-off, or failed for good), what
// the failure policy does, when the run ends, and what `retry --from-stage` runs again. No I/O:
// the use cases load the run, call these with the clock's now, and append what they return.
import { ancestorsOf, downstreamOf, stageJobId, stageOutputs, interpolate, type PipelineRunEvent, type PipelineSpec, type PipelineStage } from '@fjc/contracts';

export type StageStatus = 'pending' | 'running' | 'waiting_retry' | 'finished' | 'failed' | 'skipped';

export interface StageRunState {
  readonly status: StageStatus;
  /** Attempts requested so far, over the whole run (a retried run goes on counting). */
  readonly attempt: number;
  /** Attempts since the run began or was last retried: the stage's retries count these. */
  readonly attemptsThisTry: number;
  readonly retryAt: string | null;
  readonly args: readonly string[] | null;
  readonly outputs: Readonly<Record<string, string>> | null;
  readonly reason: string | null;
}

export interface PipelineRunState {
  readonly runId: string;
  readonly pipelineId: string;
  readonly pipelineVersion: number;
  readonly scheduledTime: string;
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  readonly reason: string | null;
  /** The stages in the order the pipeline writes them (a JSON object's keys may not keep it). */
  readonly stageOrder: readonly string[];
  readonly stages: Readonly<Record<string, StageRunState>>;
}

const PENDING: StageRunState = { status: 'pending', attempt: 0, attemptsThisTry: 0, retryAt: null, args: null, outputs: null, reason: null };

export function evolve(state: PipelineRunState | null, event: PipelineRunEvent, stageNames: readonly string[]): PipelineRunState {
  if (event.type === 'PipelineRunStarted') {
    const p = event.payload;
    return {
      runId: p.runId,
      pipelineId: p.pipelineId,
      pipelineVersion: p.pipelineVersion,
      scheduledTime: p.scheduledTime,
      status: 'RUNNING',
      reason: null,
      stageOrder: [...stageNames],
      stages: Object.fromEntries(stageNames.map((name) => [name, PENDING])),
    };
  }
  if (state === null) throw new Error(`${event.type} before PipelineRunStarted`);
  const stage = (name: string, change: Partial<StageRunState>): PipelineRunState => ({
    ...state,
    stages: { ...state.stages, [name]: { ...(state.stages[name] ?? PENDING), ...change } },
  });
  switch (event.type) {
    case 'StageRunRequested': {
      const p = event.payload;
      const before = state.stages[p.stage] ?? PENDING;
      return stage(p.stage, { status: 'running', attempt: p.attempt, attemptsThisTry: before.attemptsThisTry + 1, retryAt: null, args: p.args, outputs: p.outputs, reason: null });
    }
    case 'StageRunFinished':
      return stage(event.payload.stage, { status: 'finished', reason: null });
    case 'StageRunFailed': {
      const p = event.payload;
      return stage(p.stage, { status: p.retryAt === null ? 'failed' : 'waiting_retry', retryAt: p.retryAt, reason: p.reason });
    }
    case 'StageSkipped':
      return stage(event.payload.stage, { status: 'skipped', reason: event.payload.reason });
    case 'PipelineRunEnded':
      return { ...state, status: event.payload.status, reason: event.payload.reason };
    case 'PipelineRunRetryRequested': {
      const reset = Object.fromEntries(event.payload.stages.map((name) => [name, { ...(state.stages[name] ?? PENDING), status: 'pending' as const, attemptsThisTry: 0, retryAt: null, reason: null }]));
      return { ...state, pipelineVersion: event.payload.pipelineVersion, status: 'RUNNING', reason: null, stages: { ...state.stages, ...reset } };
    }
  }
}

/** Back-off before attempt `attempt + 1`: backoff doubled per earlier retry, at most max_backoff. */
export function backoffMs(stage: PipelineStage, failedAttempt: number): number {
  const { backoff, max_backoff } = stage.retries;
  return Math.min(max_backoff, backoff * 2 ** Math.max(0, failedAttempt - 1));
}

/** A stage's Flink run ended: finished, or failed (retried while retries last). */
export function decideStageOutcome(
  pipeline: PipelineSpec,
  run: PipelineRunState,
  outcome: { readonly stage: string; readonly attempt: number; readonly ok: boolean; readonly flinkJobId: string | null; readonly reason: string },
  now: Date,
): PipelineRunEvent[] {
  const current = run.stages[outcome.stage];
  const spec = pipeline.stages.find((s) => s.name === outcome.stage);
  // Only the attempt the run waits for counts: an older attempt's late news changes nothing.
  if (!current || !spec || current.status !== 'running' || current.attempt !== outcome.attempt) return [];
  const base = { runId: run.runId, stage: outcome.stage, attempt: outcome.attempt };
  if (outcome.ok) return [{ type: 'StageRunFinished', payload: { ...base, flinkJobId: outcome.flinkJobId } }];
  const retriesUsed = current.attemptsThisTry - 1;
  const retryAt = retriesUsed < spec.retries.max_retries ? new Date(now.getTime() + backoffMs(spec, retriesUsed + 1)).toISOString() : null;
  return [{ type: 'StageRunFailed', payload: { ...base, reason: outcome.reason, retryAt } }];
}

/** What happens next: stages whose dependencies finished start, due retries start, the failure
 *  policy skips what may not run, and the run ends once nothing is left. */
export function decideNext(pipeline: PipelineSpec, run: PipelineRunState, now: Date): PipelineRunEvent[] {
  if (run.status !== 'RUNNING') return [];
  const events: PipelineRunEvent[] = [];
  const stages = { ...run.stages };
  const note = (event: PipelineRunEvent): void => {
    events.push(event);
    if (event.type === 'StageSkipped') stages[event.payload.stage] = { ...(stages[event.payload.stage] ?? PENDING), status: 'skipped', reason: event.payload.reason };
    if (event.type === 'StageRunRequested') stages[event.payload.stage] = { ...(stages[event.payload.stage] ?? PENDING), status: 'running', attempt: event.payload.attempt };
  };
  const policy = pipeline.failure_policy;
  const compensation = policy.on_failure === 'compensate' ? policy.compensation_stage : undefined;
  const regular = pipeline.stages.filter((s) => s.name !== compensation);
  const statusOf = (name: string): StageStatus => stages[name]?.status ?? 'pending';
  const failed = regular.filter((s) => statusOf(s.name) === 'failed').map((s) => s.name);

  for (const stage of regular) {
    const state = stages[stage.name] ?? PENDING;
    if (state.status !== 'pending' && state.status !== 'waiting_retry') continue;
    const blockedBy = [...ancestorsOf(pipeline.stages, stage.name)].find((a) => statusOf(a) === 'failed' || statusOf(a) === 'skipped');
    if (failed.length > 0 && policy.on_failure !== 'continue') {
      note({ type: 'StageSkipped', payload: { runId: run.runId, stage: stage.name, reason: `stage ${failed[0]} failed (failure_policy.on_failure: ${policy.on_failure})` } });
      continue;
    }
    if (blockedBy !== undefined) {
      note({ type: 'StageSkipped', payload: { runId: run.runId, stage: stage.name, reason: `stage ${blockedBy} it depends on did not finish` } });
      continue;
    }
    if (state.status === 'waiting_retry' && state.retryAt !== null && Date.parse(state.retryAt) > now.getTime()) continue;
    if (!stage.depends_on.every((d) => statusOf(d) === 'finished')) continue;
    note(requestStage(pipeline, run, stage, stages));
  }

  const active = (s: PipelineStage): boolean => ['running', 'waiting_retry', 'pending'].includes(statusOf(s.name));
  if (regular.some(active)) return events;
  const failedNow = regular.filter((s) => statusOf(s.name) === 'failed').map((s) => s.name);
  if (failedNow.length === 0) {
    if (compensation !== undefined && statusOf(compensation) === 'pending') note({ type: 'StageSkipped', payload: { runId: run.runId, stage: compensation, reason: 'no stage failed' } });
    events.push({ type: 'PipelineRunEnded', payload: { runId: run.runId, status: 'SUCCEEDED', reason: 'every stage finished' } });
    return events;
  }
  const why = `stage(s) ${failedNow.join(', ')} failed`;
  const compensationSpec = pipeline.stages.find((s) => s.name === compensation);
  if (compensation !== undefined && compensationSpec !== undefined) {
    const comp = statusOf(compensation);
    const spec = compensationSpec;
    if (comp === 'pending') {
      note(requestStage(pipeline, run, spec, stages));
      return events;
    }
    if (comp === 'running' || comp === 'waiting_retry') {
      const state = stages[compensation] ?? PENDING;
      if (comp === 'waiting_retry' && state.retryAt !== null && Date.parse(state.retryAt) <= now.getTime()) note(requestStage(pipeline, run, spec, stages));
      return events;
    }
    events.push({ type: 'PipelineRunEnded', payload: { runId: run.runId, status: 'FAILED', reason: `${why}; compensation stage ${compensation} ${comp === 'finished' ? 'finished' : 'failed too'}` } });
    return events;
  }
  events.push({ type: 'PipelineRunEnded', payload: { runId: run.runId, status: 'FAILED', reason: `${why} (failure_policy.on_failure: ${policy.on_failure})` } });
  return events;
}

function requestStage(pipeline: PipelineSpec, run: PipelineRunState, stage: PipelineStage, stages: Readonly<Record<string, StageRunState>>): PipelineRunEvent {
  const outputs = Object.fromEntries(Object.entries(stages).flatMap(([name, s]) => (s.status === 'finished' && s.outputs ? [[name, s.outputs]] : [])));
  const values = { run: { id: run.runId, scheduled_time: run.scheduledTime }, outputs };
  return {
    type: 'StageRunRequested',
    payload: {
      runId: run.runId,
      stage: stage.name,
      attempt: (stages[stage.name]?.attempt ?? 0) + 1,
      jobId: stageJobId(pipeline.pipeline_id, stage.name),
      args: stage.job.args.map((arg) => interpolate(arg, values)),
      outputs: stageOutputs(stage, values),
    },
  };
}

export type RetryDecision =
  | { readonly ok: true; readonly events: PipelineRunEvent[] }
  | { readonly ok: false; readonly code: 'FJC_PIPELINE_RUN_NOT_ENDED' | 'FJC_PIPELINE_UNKNOWN_STAGE' | 'FJC_PIPELINE_STAGES_CHANGED'; readonly message: string };

/** `fjc run retry RUN --from-stage S`: S, everything downstream of it, and every stage that had
 *  not finished run again, following the pipeline's current version `version` (so a fixed
 *  pipeline finishes the run); stages that finished elsewhere keep their results and outputs.
 *  The current version must have the run's stages, no more and no fewer. */
export function decideRetry(pipeline: PipelineSpec, version: number, run: PipelineRunState, fromStage: string): RetryDecision {
  if (run.status === 'RUNNING') return { ok: false, code: 'FJC_PIPELINE_RUN_NOT_ENDED', message: `run ${run.runId} is still running; retry it once it ended` };
  if (!pipeline.stages.some((s) => s.name === fromStage)) {
    return { ok: false, code: 'FJC_PIPELINE_UNKNOWN_STAGE', message: `pipeline ${pipeline.pipeline_id} has no stage ${fromStage} (stages: ${pipeline.stages.map((s) => s.name).join(', ')})` };
  }
  const now = pipeline.stages.map((s) => s.name).sort();
  const then = Object.keys(run.stages).sort();
  if (now.join(',') !== then.join(',')) {
    return { ok: false, code: 'FJC_PIPELINE_STAGES_CHANGED', message: `pipeline ${pipeline.pipeline_id} version ${version} has stages ${now.join(', ')}, run ${run.runId} has ${then.join(', ')}: start a new run` };
  }
  const again = downstreamOf(pipeline.stages, fromStage);
  for (const [name, s] of Object.entries(run.stages)) if (s.status !== 'finished') again.add(name);
  const stages = pipeline.stages.map((s) => s.name).filter((name) => again.has(name));
  return { ok: true, events: [{ type: 'PipelineRunRetryRequested', payload: { runId: run.runId, fromStage, pipelineVersion: version, stages } }] };
}
