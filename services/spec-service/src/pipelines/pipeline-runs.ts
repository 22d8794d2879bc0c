// Use cases of pipelines, each inside the caller's transaction: apply a pipeline (stream
// pipeline-<id>), start a run (stream pipeline-run-<run id>), advance a run (decide, append, and
// apply each requested stage's job spec in the same transaction, so the intent and the spec
// version that carries it out commit together), take a stage job's outcome from
// fjc.job.lifecycle, and retry a run from a stage. A stage's Flink run is an ordinary batch job
// run: reconciler, deployer and the observer do it as for any unscheduled batch job.
import { Inject, Injectable } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import {
  PipelineSpecSchema,
  nextFireTime,
  canonicalJson,
  parseSpecDocument,
  stageJobSpec,
  validatePipeline,
  type FjcEvent,
  type PipelineRunEvent,
  type PipelineSpec,
  type SpecLimits,
} from '@fjc/contracts';
import { readStream, type Queryable } from '@fjc/event-log';
import { CLOCK, EventWriter, type Clock, type EventCause } from '@fjc/service-runtime';
import { hasRole, mayRead, mayUseCluster, type Principal } from '../auth/principal';
import { SPEC_LIMITS } from '../http/spec-limits.token';
import type { CommandError } from '../spec-stream/command-error';
import { ApplySpec } from '../use-cases/apply-spec/apply-spec';
import { decideNext, decideRetry, decideStageOutcome, evolve, type PipelineRunState } from './domain/pipeline-run';
import * as store from './persistence/pipeline-store';

export type PipelineBody = { readonly kind: 'document'; readonly text: string } | { readonly kind: 'value'; readonly value: unknown };
export type Refusal = { readonly ok: false; readonly errors: CommandError[] };

/** Decisions folded per advance at most: a pass of skips and starts settles in a few. */
const MAX_ROUNDS = 20;
/** A cron time later than this is skipped for the next one (as the scheduler's superseded times). */
const LATE_GRACE_MS = 60_000;

export const pipelineStream = (pipelineId: string): string => `pipeline-${pipelineId}`;
export const runStream = (runId: string): string => `pipeline-run-${runId}`;

@Injectable()
export class PipelineRuns {
  constructor(
    private readonly writer: EventWriter,
    private readonly applySpec: ApplySpec,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SPEC_LIMITS) private readonly limits: SpecLimits,
    private readonly logger: Logger,
  ) {}

  async apply(tx: Queryable, pipelineId: string, body: PipelineBody, principal: Principal, cause: EventCause): Promise<{ ok: true; version: number; changed: boolean; created: boolean } | Refusal> {
    const parsed = body.kind === 'document' ? parseSpecDocument(body.text, 'pipeline.yaml', this.limits) : { ok: true as const, value: body.value };
    if (!parsed.ok) return { ok: false, errors: parsed.errors };
    const validation = validatePipeline(parsed.value, this.limits);
    if (!validation.ok) return { ok: false, errors: validation.errors };
    const spec = validation.pipeline;
    if (spec.pipeline_id !== pipelineId) {
      return refused('FJC_PIPELINE_ID_MISMATCH', 'pipeline_id', `pipeline_id ${spec.pipeline_id} differs from the pipeline in the URL, ${pipelineId}`);
    }
    const existing = await store.loadPipeline(tx, pipelineId, true);
    for (const namespace of new Set([spec.namespace, ...(existing ? [existing.namespace] : [])])) {
      if (!hasRole(principal, 'operator', namespace)) return refused('FJC_FORBIDDEN', '', `apply of pipeline ${pipelineId} needs the operator role in namespace ${namespace}`);
    }
    const i = spec.stages.findIndex((s) => !mayUseCluster(principal, 'operator', spec.namespace, s.job.cluster));
    const denied = spec.stages[i];
    if (denied) return refused('FJC_FORBIDDEN', `stages[${i}].job.cluster`, `namespace ${spec.namespace} may not run jobs on cluster ${denied.job.cluster}`);
    if (existing && canonicalJson(existing.spec) === canonicalJson(spec)) return { ok: true, version: existing.version, changed: false, created: false };

    const version = (existing?.version ?? 0) + 1;
    const appended = await this.writer.append(tx, pipelineStream(pipelineId), existing?.version ?? 'no-stream', pipelineId, [{ type: 'PipelineApplied', payload: { pipelineId, version, spec } }], cause);
    if (appended.status !== 'appended') return refused('FJC_VERSION_CONFLICT', '', `pipeline ${pipelineId} was changed meanwhile; apply again`);
    const now = this.clock.now();
    await store.savePipeline(tx, { pipelineId, namespace: spec.namespace, version, spec, nextFireAt: spec.schedule ? nextFire(spec, now) : null }, now);
    this.logger.log({ msg: `pipeline ${pipelineId}: version ${version} applied`, event: 'pipeline.applied', pipelineId, version }, 'pipelines');
    return { ok: true, version, changed: true, created: existing === null };
  }

  /** Starts a run; 'exists' when a run with this id is already in the log (a scheduled time seen before). */
  async start(tx: Queryable, pipeline: store.PipelineRow, trigger: 'schedule' | 'manual', scheduledTime: Date, runId: string, cause: EventCause): Promise<'started' | 'exists'> {
    const started: PipelineRunEvent = {
      type: 'PipelineRunStarted',
      payload: { runId, pipelineId: pipeline.pipelineId, pipelineVersion: pipeline.version, trigger, scheduledTime: scheduledTime.toISOString() },
    };
    const appended = await this.writer.append(tx, runStream(runId), 'no-stream', pipeline.pipelineId, [started], cause);
    if (appended.status !== 'appended') return 'exists';
    const state = evolve(null, started, pipeline.spec.stages.map((s) => s.name));
    const row: store.RunRow = { runId, pipelineId: pipeline.pipelineId, pipelineVersion: pipeline.version, trigger, state, streamVersion: 1, startedAt: this.clock.now(), endedAt: null };
    await this.advance(tx, pipeline.spec, row, cause, []);
    this.logger.log({ msg: `pipeline ${pipeline.pipelineId}: run ${runId} started (${trigger})`, event: 'pipeline.run_started', pipelineId: pipeline.pipelineId, runId, trigger, scheduledTime }, 'pipelines');
    return 'started';
  }

  /** A LifecycleChanged of a stage's job: the outcome of the attempt that spec version carries. */
  async onLifecycle(tx: Queryable, event: FjcEvent): Promise<void> {
    if (event.type !== 'LifecycleChanged') return;
    const { to, deployedVersion, desiredVersion, flinkJobId } = event.payload;
    if (to !== 'FINISHED' && to !== 'FAILED' && to !== 'RUNNING') return;
    // The version that ran (deployed), else the one FJC worked towards (a submission Flink refused
    // never deployed): the first whose attempt its run still waits for. Two runs of a pipeline
    // under allow share the stage's job, so an older version's news must not end a newer attempt.
    const versions = [...new Set([deployedVersion, desiredVersion].filter((v): v is number => v !== null))];
    let stageJob: { runId: string; stage: string; attempt: number } | null = null;
    let row: store.RunRow | null = null;
    for (const candidate of await store.stageJobsOf(tx, event.jobId, versions)) {
      const run = await store.loadRun(tx, candidate.runId, true);
      const waiting = run?.state.stages[candidate.stage];
      if (run && waiting?.status === 'running' && waiting.attempt === candidate.attempt) {
        stageJob = candidate;
        row = run;
        break;
      }
    }
    if (!stageJob || !row) return;
    const { stage: stageName, attempt } = stageJob;
    const spec = await this.specOf(tx, row.pipelineId, row.state.pipelineVersion);
    const stage = spec.stages.find((s) => s.name === stageName);
    // A batch stage's RUNNING is on the way; a stream stage has done its part once it runs.
    if (!stage || (to === 'RUNNING' && stage.type !== 'stream')) return;
    const reason = to === 'FAILED' ? (event.payload.lastError?.message ?? event.payload.reason) : event.payload.reason;
    const outcome = decideStageOutcome(spec, row.state, { stage: stage.name, attempt, ok: to !== 'FAILED', flinkJobId, reason }, this.clock.now());
    if (outcome.length === 0) return;
    await this.advance(tx, spec, row, { actor: this.writer.serviceActor, correlationId: event.correlationId, causationId: event.id }, outcome);
  }

  async retry(tx: Queryable, runId: string, fromStage: string, principal: Principal, cause: EventCause): Promise<{ ok: true; run: store.RunRow } | Refusal> {
    const row = await store.loadRun(tx, runId, true);
    const pipeline = row ? await store.loadPipeline(tx, row.pipelineId) : null;
    if (!row || !pipeline || !mayRead(principal, pipeline.namespace)) return refused('FJC_PIPELINE_RUN_NOT_FOUND', '', `run ${runId} does not exist`);
    if (!hasRole(principal, 'operator', pipeline.namespace)) return refused('FJC_FORBIDDEN', '', `retry of run ${runId} needs the operator role in namespace ${pipeline.namespace}`);
    // The retried stages follow the pipeline's current version: fix the pipeline, then retry.
    const spec = pipeline.spec;
    const decision = decideRetry(spec, pipeline.version, row.state, fromStage);
    if (!decision.ok) return refused(decision.code, decision.code === 'FJC_PIPELINE_UNKNOWN_STAGE' ? 'from_stage' : '', decision.message);
    const run = await this.advance(tx, spec, { ...row, pipelineVersion: pipeline.version }, cause, decision.events);
    this.logger.log({ msg: `run ${runId}: retried from stage ${fromStage}`, event: 'pipeline.run_retried', runId, fromStage }, 'pipelines');
    return { ok: true, run };
  }

  /** One pass of the pipeline loop: due cron times start runs; due retries start their stages. */
  async pass(tx: Queryable, limit: number): Promise<number> {
    const now = this.clock.now();
    let work = 0;
    for (const pipeline of await store.claimDuePipelines(tx, now, limit)) {
      work++;
      await this.fire(tx, pipeline, now);
    }
    for (const runId of await store.claimRunsToCheck(tx, now, limit)) {
      work++;
      const row = await store.loadRun(tx, runId, true);
      if (!row) continue;
      const spec = await this.specOf(tx, row.pipelineId, row.state.pipelineVersion);
      await this.advance(tx, spec, row, { actor: this.writer.serviceActor, correlationId: runId, causationId: null }, []);
    }
    return work;
  }

  private async fire(tx: Queryable, pipeline: store.PipelineRow, now: Date): Promise<void> {
    const scheduled = pipeline.nextFireAt;
    if (scheduled === null) return;
    const schedule = pipeline.spec.schedule;
    const following = schedule ? nextFire(pipeline.spec, scheduled) : null;
    // Missed times collapse to the latest (as the scheduler's): only a time not yet superseded runs.
    const superseded = following !== null && now.getTime() - following.getTime() > LATE_GRACE_MS;
    await store.setNextFire(tx, pipeline.pipelineId, superseded ? nextFire(pipeline.spec, now) : following);
    if (!schedule || superseded) return;
    const running = await store.runningRuns(tx, pipeline.pipelineId);
    if (schedule.concurrency_policy === 'forbid' && running.length > 0) {
      this.logger.warn(
        { msg: `pipeline ${pipeline.pipelineId}: run at ${scheduled.toISOString()} skipped, run ${running[0]} still going (concurrency_policy forbid)`, event: 'pipeline.run_skipped', code: 'FJC_PIPELINE_RUN_SKIPPED', pipelineId: pipeline.pipelineId, scheduledTime: scheduled, running },
        'pipelines',
      );
      return;
    }
    // The run id is made from the scheduled time: a time is started once, whichever instance sees it.
    const runId = `${pipeline.pipelineId}-${scheduled.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'z').toLowerCase()}`;
    await this.start(tx, pipeline, 'schedule', scheduled, runId, { actor: this.writer.serviceActor, correlationId: runId, causationId: null });
  }

  /** Decide, fold and append until nothing more follows; carry out each stage request by applying its job spec. */
  private async advance(tx: Queryable, spec: PipelineSpec, row: store.RunRow, cause: EventCause, given: readonly PipelineRunEvent[]): Promise<store.RunRow> {
    const names = spec.stages.map((s) => s.name);
    const events: PipelineRunEvent[] = [];
    let state: PipelineRunState = row.state;
    const take = (event: PipelineRunEvent): void => {
      events.push(event);
      state = evolve(state, event, names);
    };
    given.forEach(take);
    const now = this.clock.now();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const next = decideNext(spec, state, now);
      if (next.length === 0) break;
      for (const event of next) {
        take(event);
        if (event.type === 'StageRunRequested') {
          const refusal = await this.runStage(tx, spec, event.payload, cause);
          if (refusal) take({ type: 'StageRunFailed', payload: { runId: row.runId, stage: event.payload.stage, attempt: event.payload.attempt, reason: refusal, retryAt: null } });
        }
      }
    }
    if (events.length === 0) return row;
    const appended = await this.writer.append(tx, runStream(row.runId), row.streamVersion, row.pipelineId, events, cause);
    // The row is locked by whoever advances it, so a conflict means a bug or a manual append: retried from the top.
    if (appended.status !== 'appended') throw new Error(`pipeline run ${row.runId}: stream changed meanwhile (${appended.status})`);
    const ended = state.status !== 'RUNNING';
    const saved: store.RunRow = { ...row, state, streamVersion: appended.streamVersion, endedAt: ended ? (row.endedAt ?? now) : null };
    await store.saveRun(tx, saved, nextCheck(state));
    for (const e of events) {
      this.logger.log({ msg: `run ${row.runId}: ${e.type}${'stage' in e.payload ? ` ${e.payload.stage}` : ''}`, event: 'pipeline.run_event', type: e.type, pipelineId: row.pipelineId, ...e.payload }, 'pipelines');
    }
    return saved;
  }

  /** Applies the stage's job spec for this attempt; a refusal (a jar the policy refuses...) is returned as the failure's reason. */
  private async runStage(tx: Queryable, spec: PipelineSpec, request: Extract<PipelineRunEvent, { type: 'StageRunRequested' }>['payload'], cause: EventCause): Promise<string | null> {
    const stage = spec.stages.find((s) => s.name === request.stage);
    if (!stage) return `the pipeline has no stage ${request.stage}`;
    const jobSpec = stageJobSpec(spec, stage, { runId: request.runId, attempt: request.attempt, args: request.args });
    const { outcome } = await this.applySpec.execute(tx, { jobId: request.jobId, body: { kind: 'value', value: jobSpec } }, { cause, source: 'pipeline' });
    if (outcome.kind === 'rejected') return `the stage's job spec was refused: ${outcome.errors.map((e) => `${e.path ? `${e.path}: ` : ''}${e.message} (${e.code})`).join('; ')}`;
    await store.recordStageJob(tx, request.jobId, outcome.version, request.runId, request.stage, request.attempt);
    return null;
  }

  /** The spec a run follows: its pipeline version, read from the pipeline's stream. */
  async specOf(tx: Queryable, pipelineId: string, version: number): Promise<PipelineSpec> {
    const current = await store.loadPipeline(tx, pipelineId);
    if (current?.version === version) return current.spec;
    const [event] = await readStream(tx, pipelineStream(pipelineId), version);
    if (!event || event.streamVersion !== version) throw new Error(`pipeline ${pipelineId} has no version ${version} in the log`);
    return PipelineSpecSchema.parse((event.payload as { spec: unknown }).spec);
  }
}

function refused(code: CommandError['code'], path: string, message: string): Refusal {
  return { ok: false, errors: [{ code, path, message }] };
}

export function nextFire(spec: PipelineSpec, after: Date): Date | null {
  if (!spec.schedule) return null;
  return nextFireTime(spec.schedule.cron, spec.schedule.timezone, after);
}

/** When the loop should look at a run again: its earliest due retry. */
export function nextCheck(state: PipelineRunState): Date | null {
  if (state.status !== 'RUNNING') return null;
  const times = Object.values(state.stages).flatMap((s) => (s.status === 'waiting_retry' && s.retryAt ? [Date.parse(s.retryAt)] : []));
  return times.length > 0 ? new Date(Math.min(...times)) : null;
}
