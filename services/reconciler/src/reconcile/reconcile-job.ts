// The reconciler's one use case: make job X match its spec. Steps: 1. load and lock the job's
// state; 2. fold in the input (if any); 3. decide, purely; 4. append the requested actions and
// any lifecycle change to reconciler-<jobId> (intent recorded before anyone calls Flink);
// 5. save the state - all in the caller's transaction.
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Logger } from 'nestjs-pino';
import { CLOCK, EventWriter, inSpan, type Clock, type PendingEvent } from '@fjc/service-runtime';
import type { Queryable } from '@fjc/event-log';
import type { LifecycleState } from '@fjc/contracts';
import { decide } from '../domain/decide';
import type { DecisionEvent } from '../domain/own-events';
import { evolve } from '../domain/evolve';
import type { IdSource } from '../domain/ids';
import type { ReconcilerInput } from '../domain/inputs';
import { lifecycleChange, lifecycleOf } from '../domain/lifecycle';
import { loadJobForUpdate, saveJob, type ResyncRow } from './job-store';
import { initialJobState } from '../domain/job-state';
import { ReconcilerMetrics } from '../metrics/reconciler-metrics';
import { stepTransition } from '../metrics/transitions';

export const ID_SOURCE = Symbol('ID_SOURCE');

@Injectable()
export class ReconcileJob {
  constructor(
    private readonly writer: EventWriter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
    private readonly logger: Logger,
    private readonly metrics: ReconcilerMetrics,
  ) {}

  run(tx: Queryable, jobId: string, input: ReconcilerInput | null): Promise<void> {
    return inSpan(`reconcile ${input?.type ?? 'resync'}`, { attributes: { 'fjc.job.id': jobId }, logFields: { jobId, ...(input ? { correlationId: input.correlationId } : {}) } }, () => this.decideAndRecord(tx, jobId, input));
  }

  /** Whether a resync of this job, decided on its state as read without the lock, would write
   *  nothing at all: no event, no request, no lifecycle change, the same state and the same next
   *  look. Such a job is skipped (counted as a noop or wait decision); any other goes through
   *  run(), which decides again on the locked row. A job changed since the read was decided by
   *  that change's own transaction, and the next resync reads it anew. */
  resyncChangesNothing(row: ResyncRow): boolean {
    const state = { ...initialJobState(row.job_id), ...row.state };
    const decision = decide(state, this.clock.now(), this.ids, { resync: true });
    if (decision.requests.length > 0 || (decision.events?.length ?? 0) > 0) return false;
    if (lifecycleChange(decision.state, 'resync') !== null || row.lifecycle !== lifecycleOf(decision.state)) return false;
    const retryAt = decision.wait?.retryAt ? Date.parse(decision.wait.retryAt) : null;
    if (retryAt !== (row.next_look_at?.getTime() ?? null)) return false;
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(decision.state)), row.state)) return false;
    this.metrics.decisions.inc({ outcome: decision.wait ? 'wait' : 'noop' });
    return true;
  }

  private async decideAndRecord(tx: Queryable, jobId: string, input: ReconcilerInput | null): Promise<void> {
    const loaded = await loadJobForUpdate(tx, jobId);
    const evolved = input ? evolve(loaded.state, input) : loaded.state;
    const decision = decide(evolved, this.clock.now(), this.ids, { resync: input === null });
    const reason = input ? `${input.type}${decision.note ? `: ${decision.note}` : ''}` : `resync${decision.note ? `: ${decision.note}` : ''}`;
    const lifecycle = lifecycleChange(decision.state, reason);

    let streamVersion = loaded.streamVersion;
    const own = { kind: 'service' as const, id: 'reconciler' };
    for (const decided of decision.events ?? []) {
      streamVersion = await this.append(tx, jobId, streamVersion, decided.event as PendingEvent, {
        actor: decided.cause.actor,
        correlationId: decided.cause.correlationId,
        causationId: decided.cause.eventId,
      });
      this.logger.log({ event: 'decision.recorded', jobId, type: decided.event.type, ...decisionFields(decided.event) }, 'reconciler');
    }
    for (const request of decision.requests) {
      streamVersion = await this.append(tx, jobId, streamVersion, { type: 'ActionRequested', payload: request.payload }, {
        actor: request.cause.actor,
        correlationId: request.cause.correlationId,
        causationId: request.cause.eventId,
      });
      this.logger.log({ event: 'action.requested', jobId, kind: request.payload.action.kind, actionId: request.payload.actionId }, 'reconciler');
    }
    let state = decision.state;
    if (lifecycle) {
      streamVersion = await this.append(tx, jobId, streamVersion, { type: 'LifecycleChanged', payload: lifecycle.change }, input
        ? { actor: input.actor, correlationId: input.correlationId, causationId: input.id }
        : { actor: own, correlationId: randomUUID(), causationId: null });
      state = { ...state, announced: lifecycle.announced };
      // Same state with other details (restarts, candidate): not a transition, so not logged as one.
      if (lifecycle.change.from === lifecycle.change.to) this.logger.debug({ event: 'lifecycle.updated', jobId, state: lifecycle.change.to, reason }, 'reconciler');
      else this.logger.log({ event: 'lifecycle.changed', jobId, from: lifecycle.change.from, to: lifecycle.change.to, reason }, 'reconciler');
    }
    const now = this.clock.now();
    const step = lifecycle && lifecycle.change.from !== lifecycle.change.to ? stepTransition(loaded.transition, lifecycle.change.to, now) : null;
    await saveJob(tx, state, streamVersion, lifecycleOf(state), decision.wait?.retryAt ?? null, step ? step.next : undefined);
    if (step?.finished) this.metrics.transitions.observe({ transition: step.finished.transition, outcome: step.finished.outcome }, step.finished.seconds);
    this.count(decision, lifecycle?.change ?? null, state.desired?.spec.namespace ?? 'default', input?.type === 'ActionFailed');
  }

  /** Metrics of one decision (counted when the transaction is about to commit; a rolled-back
   *  one is retried and may count twice, which a rate does not notice). */
  private count(decision: ReturnType<typeof decide>, change: { from: LifecycleState | null; to: LifecycleState } | null, namespace: string, actionFailed: boolean): void {
    const events = decision.events ?? [];
    const outcome = decision.requests.length > 0 ? 'action' : events.length > 0 || change ? 'events' : decision.wait ? 'wait' : 'noop';
    this.metrics.decisions.inc({ outcome });
    for (const { event } of events) {
      if (event.type === 'RollbackStarted') this.metrics.rollbacks.inc({ namespace, trigger: event.payload.trigger === 'operator' ? 'manual' : 'automatic' });
      if (event.type === 'StabilityFailed') this.metrics.failures.inc({ namespace, kind: 'stability_failed' });
      if (event.type === 'JobUnhealthy') this.metrics.failures.inc({ namespace, kind: 'restart_budget' });
      if (event.type === 'SlaMissed') this.metrics.slaMissed.inc({ namespace, objective: event.payload.objective });
    }
    // A version given up: FAILED, or rolled back because its deployment failed (a failed gate
    // is counted above as stability_failed).
    if (change && change.from !== change.to && (change.to === 'FAILED' || (change.to === 'ROLLING_BACK' && actionFailed))) {
      this.metrics.failures.inc({ namespace, kind: actionFailed ? 'action_failed' : 'flink_failed' });
    }
  }

  private async append(tx: Queryable, jobId: string, expected: number, event: PendingEvent, cause: Parameters<EventWriter['append']>[5]): Promise<number> {
    const result = await this.writer.append(tx, `reconciler-${jobId}`, expected, jobId, [event], cause);
    if (result.status === 'conflict') {
      // The row lock makes this impossible unless the table and the stream disagree: fail loudly, the transport retries.
      throw new Error(`FJC_RECONCILER_STREAM_CONFLICT: reconciler-${jobId} is at ${result.actualVersion}, expected ${expected}`);
    }
    return result.streamVersion;
  }
}

/** The log fields of a decision: versions and codes, never paths (they may name customers' buckets). */
function decisionFields(event: DecisionEvent): Record<string, unknown> {
  switch (event.type) {
    case 'StabilityConfirmed':
      return { version: event.payload.version, flinkJobId: event.payload.flinkJobId };
    case 'StabilityFailed':
      return { version: event.payload.version, code: event.payload.error.code, rollback: event.payload.rollback };
    case 'RollbackStarted':
    case 'RollbackCompleted':
      return { fromVersion: event.payload.fromVersion, toVersion: event.payload.toVersion };
    case 'SavepointRecorded':
      return { version: event.payload.version, origin: event.payload.origin };
    case 'JobUnhealthy':
      return { version: event.payload.version, restarts: event.payload.restarts, remedy: event.payload.remedy };
    case 'VersionAdopted':
    case 'JobRedeployed':
      return { version: event.payload.version };
    case 'TickSkipped':
      return { runNumber: event.payload.runNumber, reason: event.payload.reason };
    case 'AttentionNeeded':
      return { code: event.payload.error.code };
    case 'RecoveryApplied':
      return { from: event.payload.from };
    case 'SlaMissed':
      return { version: event.payload.version, objective: event.payload.objective, runNumber: event.payload.run?.runNumber, window: event.payload.window?.start };
    case 'BatchRunRetried':
      return { runNumber: event.payload.runNumber, attempt: event.payload.attempt, maxAttempts: event.payload.maxAttempts, failedFlinkJobId: event.payload.failedFlinkJobId, code: event.payload.error.code };
    case 'BatchRunExpired':
      return { runNumber: event.payload.runNumber, flinkJobId: event.payload.flinkJobId, limit: event.payload.limit, code: event.payload.error.code };
  }
}
