// given(events).when(decision).then(events) for pipeline runs: ordering, data passing,
// retries with back-off, the three failure policies, and retry --from-stage.
import { validatePipeline, type PipelineRunEvent, type PipelineSpec } from '@fjc/contracts';
import { decideNext, decideRetry, decideStageOutcome, evolve, type PipelineRunState } from './pipeline-run';

const job = (args: string[] = []) => ({ artifact_path: 'fjc-test-job.jar', args });
function pipeline(extra: Record<string, unknown> = {}, retries = 0): PipelineSpec {
  const result = validatePipeline({
    pipeline_id: 'etl',
    stages: [
      { name: 'extract', job: job(['batch', '--name', 'extract-${run.id}']), outputs: { path: '/data/${run.id}' }, retries: { max_retries: retries, backoff: '2s' } },
      { name: 'clean', depends_on: ['extract'], job: job(['--name', 'clean-${stages.extract.outputs.path}']) },
      { name: 'enrich', depends_on: ['extract'], job: job(['--name', 'enrich-${stages.extract.outputs.path}']) },
      { name: 'load', depends_on: ['clean', 'enrich'], job: job() },
      ...((extra.more as unknown[]) ?? []),
    ],
    ...(extra.failure_policy ? { failure_policy: extra.failure_policy } : {}),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.pipeline;
}

const T0 = new Date('2026-11-29T06:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

function fold(p: PipelineSpec, events: readonly PipelineRunEvent[], state: PipelineRunState | null = null): PipelineRunState {
  const folded = events.reduce<PipelineRunState | null>((s, e) => evolve(s, e, p.stages.map((x) => x.name)), state);
  if (!folded) throw new Error('nothing folded');
  return folded;
}
function started(p: PipelineSpec): PipelineRunState {
  return fold(p, [{ type: 'PipelineRunStarted', payload: { runId: 'r1', pipelineId: 'etl', pipelineVersion: 1, trigger: 'manual', scheduledTime: T0.toISOString() } }]);
}
/** Decide, fold, and report what was requested. */
function step(p: PipelineSpec, run: PipelineRunState, now = T0) {
  const events = decideNext(p, run, now);
  return { run: fold(p, events, run), events };
}
function outcome(p: PipelineSpec, run: PipelineRunState, stage: string, ok: boolean, now = T0) {
  const events = decideStageOutcome(p, run, { stage, attempt: run.stages[stage]?.attempt ?? 0, ok, flinkJobId: ok ? `f-${stage}` : null, reason: ok ? '' : 'FAILED in Flink' }, now);
  return step(p, fold(p, events, run), now);
}
const requested = (events: readonly PipelineRunEvent[]) => events.flatMap((e) => (e.type === 'StageRunRequested' ? [e.payload.stage] : []));

describe('a pipeline run', () => {
  it('runs extract, then both transforms with extract\'s output in their args, then load once both finished', () => {
    const p = pipeline();
    let { run, events } = step(p, started(p));
    expect(events).toEqual([{ type: 'StageRunRequested', payload: { runId: 'r1', stage: 'extract', attempt: 1, jobId: 'etl-extract', args: ['batch', '--name', 'extract-r1'], outputs: { path: '/data/r1' } } }]);
    ({ run, events } = outcome(p, run, 'extract', true));
    expect(requested(events)).toEqual(['clean', 'enrich']);
    expect(events.map((e) => (e.type === 'StageRunRequested' ? e.payload.args : []))).toEqual([['--name', 'clean-/data/r1'], ['--name', 'enrich-/data/r1']]);
    ({ run, events } = outcome(p, run, 'clean', true));
    expect(events).toEqual([]);
    ({ run, events } = outcome(p, run, 'enrich', true));
    expect(requested(events)).toEqual(['load']);
    ({ run, events } = outcome(p, run, 'load', true));
    expect(events).toEqual([{ type: 'PipelineRunEnded', payload: { runId: 'r1', status: 'SUCCEEDED', reason: 'every stage finished' } }]);
    expect(run.status).toBe('SUCCEEDED');
  });

  it('retries a failed stage after its back-off, doubling it, then fails the run by its policy', () => {
    const p = pipeline({}, 2);
    let { run } = step(p, started(p));
    let events: PipelineRunEvent[];
    ({ run, events } = outcome(p, run, 'extract', false));
    expect(run.stages.extract).toMatchObject({ status: 'waiting_retry', retryAt: at(2).toISOString() });
    expect(events).toEqual([]);
    expect(step(p, run, at(1)).events).toEqual([]);
    ({ run, events } = step(p, run, at(2)));
    expect(events).toMatchObject([{ type: 'StageRunRequested', payload: { stage: 'extract', attempt: 2 } }]);
    ({ run } = outcome(p, run, 'extract', false, at(3)));
    expect(run.stages.extract?.retryAt).toBe(at(7).toISOString());
    ({ run } = step(p, run, at(7)));
    ({ run, events } = outcome(p, run, 'extract', false, at(8)));
    expect(events.map((e) => e.type)).toEqual(['StageSkipped', 'StageSkipped', 'StageSkipped', 'PipelineRunEnded']);
    expect(run).toMatchObject({ status: 'FAILED', reason: 'stage(s) extract failed (failure_policy.on_failure: stop)' });
  });

  it('ignores news of an attempt it no longer waits for', () => {
    const p = pipeline({}, 1);
    const { run } = step(p, started(p));
    expect(decideStageOutcome(p, run, { stage: 'extract', attempt: 7, ok: true, flinkJobId: null, reason: '' }, T0)).toEqual([]);
  });

  it('under continue, runs every stage not downstream of the failure', () => {
    const p = pipeline({ failure_policy: { on_failure: 'continue' }, more: [{ name: 'side', job: job() }] });
    let { run, events } = step(p, started(p));
    expect(requested(events)).toEqual(['extract', 'side']);
    ({ run, events } = outcome(p, run, 'extract', false));
    expect(events.filter((e) => e.type === 'StageSkipped').map((e) => e.payload.stage)).toEqual(['clean', 'enrich', 'load']);
    ({ run, events } = outcome(p, run, 'side', true));
    expect(run).toMatchObject({ status: 'FAILED', stages: { side: { status: 'finished' } } });
  });

  it('under compensate, runs the compensation stage after a failure, and skips it after success', () => {
    const p = pipeline({ failure_policy: { on_failure: 'compensate', compensation_stage: 'undo' }, more: [{ name: 'undo', job: job(['${run.id}']) }] });
    let { run, events } = step(p, started(p));
    ({ run, events } = outcome(p, run, 'extract', false));
    expect(requested(events)).toEqual(['undo']);
    ({ run, events } = outcome(p, run, 'undo', true));
    expect(run).toMatchObject({ status: 'FAILED', reason: 'stage(s) extract failed; compensation stage undo finished' });

    let ok = step(p, started(p));
    for (const stage of ['extract', 'clean', 'enrich', 'load']) ok = outcome(p, ok.run, stage, true);
    expect(ok.run).toMatchObject({ status: 'SUCCEEDED', stages: { undo: { status: 'skipped' } } });
  });

  it('retry --from-stage runs the stage and what follows again, keeping finished stages and their outputs', () => {
    const p = pipeline();
    let { run } = step(p, started(p));
    ({ run } = outcome(p, run, 'extract', true));
    ({ run } = outcome(p, run, 'clean', true));
    ({ run } = outcome(p, run, 'enrich', false));
    expect(run.status).toBe('FAILED');
    expect(decideRetry(p, 1, run, 'nope')).toMatchObject({ ok: false, code: 'FJC_PIPELINE_UNKNOWN_STAGE' });
    const retry = decideRetry(p, 2, run, 'enrich');
    expect(retry).toEqual({ ok: true, events: [{ type: 'PipelineRunRetryRequested', payload: { runId: 'r1', fromStage: 'enrich', pipelineVersion: 2, stages: ['enrich', 'load'] } }] });
    expect(decideRetry(pipeline({ more: [{ name: 'extra', job: job() }] }), 3, run, 'enrich')).toMatchObject({ ok: false, code: 'FJC_PIPELINE_STAGES_CHANGED' });
    if (!retry.ok) return;
    let events: PipelineRunEvent[] = [];
    ({ run, events } = step(p, fold(p, retry.events, run)));
    expect(events).toMatchObject([{ type: 'StageRunRequested', payload: { stage: 'enrich', attempt: 2, args: ['--name', 'enrich-/data/r1'] } }]);
    expect(decideRetry(p, 2, run, 'enrich')).toMatchObject({ ok: false, code: 'FJC_PIPELINE_RUN_NOT_ENDED' });
    expect(run.pipelineVersion).toBe(2);
    ({ run } = outcome(p, run, 'enrich', true));
    ({ run } = outcome(p, run, 'load', true));
    expect(run.status).toBe('SUCCEEDED');
    expect(run.stages.extract?.attempt).toBe(1);
  });
});
