// decide(state, now, ids) -> { state, events, requests }: pure and deterministic. Compares the
// desired spec with what runs in Flink and returns the reconciler's decision events (a candidate
// passed or failed its stability gates, a rollback started or completed, a savepoint recorded, a
// job out of its restart budget) and the next actions to request (at most one tracked action in
// flight per job), with the state that records them: the events folded by evolveOwn, the same
// fold a rebuild applies. Level-triggered: it may be called for any event, tick or resync, and
// asks again for nothing already in flight.
import { autoRollbackOf, BATCH_RUN_LIMIT_CODES, specTransition, type JobSpec, type PayloadOf, type StreamJobSpec } from '@fjc/contracts';
import { activeRun, keepsState, retryDue, type DesiredJob, type FlinkRun, type JobState, type PendingAction, type PendingActionKind, type RestoreSource, type Rollback } from './job-state';
import type { IdSource } from './ids';
import { evolveOwn, type DecisionEvent } from './own-events';
import { EMPTY_SLA, evaluateSla } from './sla';
import { disposableSavepoints, evidenceOf, judgeCandidate, newestKnownState, nextLook, restartsInWindow, stateOfVersion, type GateVerdict } from './stability';

export type ActionRequest = PayloadOf<'ActionRequested'>;

export interface Request {
  readonly payload: ActionRequest;
  /** What caused it: the spec version event, tick or request it serves. */
  readonly cause: { readonly eventId: string; readonly correlationId: string; readonly actor: DesiredJob['actor'] };
}

export type Cause = Request['cause'];

/** A decision event with what caused it. */
export interface Decided {
  readonly event: DecisionEvent;
  readonly cause: Cause;
}

export interface Decision {
  readonly state: JobState;
  /** Appended before the requests, in this order. */
  readonly events?: readonly Decided[];
  readonly requests: readonly Request[];
  /** Why nothing happened, for logs. */
  readonly note?: string;
  /** When the job should be looked at again even if nothing arrives, and why. */
  readonly wait?: { readonly reason: string; readonly retryAt: string } | null;
}

const RECONCILER = { kind: 'service', id: 'reconciler' } as const;

/** A tracked action without result for this long is asked for again (same actionId: the deployer dedupes). */
export const RESEND_AFTER_MS = 120_000;
/** A version whose Flink job fails past its restart strategy is started again from its newest
 *  state this many times at most; then it stays FAILED until a new version, resume or rollback. */
export const FAILED_REDEPLOY_LIMIT = 3;
/** Fresh starts a version gets from the restart budget's `redeploy` remedy; then only the alert. */
export const RESTART_BUDGET_REDEPLOYS = 3;
/** A batch run past its ttl_seconds gets this long to end by its stop with a savepoint before it is cancelled. */
export const BATCH_STOP_GRACE_MS = 30_000;

export function decide(state: JobState, now: Date, ids: IdSource, options: { resync?: boolean } = {}): Decision {
  // Savepoints learnt of are recorded with their version first, whatever else happens.
  const recorded = recordSavepoints(state);
  const decided = recorded.events.length === 0 ? decideNext(state, now, ids, options) : withEvents(recorded.events, decideNext(recorded.state, now, ids, options));
  // Service levels last: they judge the runs as this decision leaves them.
  const decision = judgeSla(decided, now);
  return { ...decision, wait: earlier(nextLook(decision.state, now, RESEND_AFTER_MS), decision.state.sla ? slaLook(decision.state, now) : null) };
}

function judgeSla(decision: Decision, now: Date): Decision {
  const verdict = evaluateSla(decision.state, now);
  const tracked = { ...decision.state, sla: verdict.tracker };
  const desired = tracked.desired;
  if (verdict.missed.length === 0 || !desired) return { ...decision, state: verdict.tracker === (decision.state.sla ?? EMPTY_SLA) ? decision.state : tracked };
  const missed = emit(tracked, verdict.missed.map((payload) => ({ type: 'SlaMissed' as const, payload })), { eventId: desired.eventId, correlationId: desired.correlationId, actor: RECONCILER });
  return { ...decision, state: missed.state, events: [...(decision.events ?? []), ...missed.events] };
}

function slaLook(state: JobState, now: Date): Decision['wait'] {
  const next = evaluateSla(state, now).nextAt;
  return next ? { reason: 'a service level falls due', retryAt: next } : null;
}

function earlier(a: Decision['wait'], b: Decision['wait']): Decision['wait'] {
  if (!a) return b ?? null;
  if (!b) return a;
  return Date.parse(b.retryAt) < Date.parse(a.retryAt) ? b : a;
}

function decideNext(state: JobState, now: Date, ids: IdSource, options: { resync?: boolean }): Decision {
  if (state.pending) {
    // A ttl_seconds stop that has not ended the run by the end of its grace period gives way to a cancel.
    const expired = state.expiredRun;
    const run = activeRun(state.current);
    if (expired && run && state.desired && state.pending.kind === 'Stop' && state.pending.flinkJobId === expired.flinkJobId && run.flinkJobId === expired.flinkJobId && now.getTime() >= Date.parse(expired.cancelAt)) {
      return cancel({ ...state, pending: null }, state.desired, now, ids, run, 'ttl_seconds passed and the stop did not end the run within its grace period');
    }
    const age = now.getTime() - Date.parse(state.pending.requestedAt);
    if (options.resync && age > RESEND_AFTER_MS) {
      return { state: { ...state, pending: { ...state.pending, requestedAt: now.toISOString() } }, requests: [resend(state, state.pending)] };
    }
    return { state, requests: [], note: `waiting for ${state.pending.kind} ${state.pending.actionId}` };
  }
  const desired = state.desired;
  if (!desired) return { state, requests: [], note: 'no spec yet' };
  if (state.deleted) return cancelAll(state, desired, now, ids);
  if (state.retryAfter && Date.parse(state.retryAfter) > now.getTime()) return { state, requests: [], note: `backing off until ${state.retryAfter}` };
  return desired.spec.job_type === 'batch' ? decideBatch(state, desired, now, ids) : decideStream(state, desired, now, ids);
}

function decideStream(state: JobState, desired: DesiredJob, now: Date, ids: IdSource): Decision {
  const spec = desired.spec;
  const current = state.current;
  const running = activeRun(current);
  // An operator's decision about a job that lost its state comes first; until one arrives,
  // nothing is started or upgraded.
  if (state.recovery) return recover(state, desired, now, ids, running);
  if (state.needsAttention) return { state, requests: [], note: `needs attention: ${state.needsAttention.reason}` };
  if (spec.state !== 'suspended') {
    // An operator's rollback starts from the state of the version rolled back to.
    if (state.rollbackRequested) return startOperatorRollback(state, desired, now, ids);
    if (state.rollback) return carryOutRollback(state, desired, state.rollback, now, ids, running);
    // A candidate's job that failed fails the candidate.
    const candidate = state.candidate;
    if (candidate && current && !running && current.flinkJobId === candidate.flinkJobId && current.state === 'FAILED') {
      const verdict: GateVerdict = {
        kind: 'failed',
        error: { code: 'FJC_STABILITY_JOB_FAILED', message: `the Flink job ${current.flinkJobId} of version ${candidate.version} failed${state.lastError?.code === 'FJC_FLINK_JOB_FAILED' ? `: ${state.lastError.message}` : ''}` },
        evidence: evidenceOf(state, current, candidate.since, now),
      };
      return failCandidate(state, desired, verdict, now, ids);
    }
    if (candidate && running && running.flinkJobId === candidate.flinkJobId && spec.job_type === 'stream') {
      const verdict = judgeCandidate(state, spec, running, candidate.since, now);
      if (verdict.kind === 'failed') return failCandidate(state, desired, verdict, now, ids);
      if (verdict.kind === 'passed') {
        const confirmed = emit(state, [{ type: 'StabilityConfirmed', payload: { version: candidate.version, flinkJobId: running.flinkJobId, evidence: verdict.evidence } }], causeOf(desired));
        return withEvents(confirmed.events, decideStream(confirmed.state, desired, now, ids));
      }
    }
    // FJC's own restart budget, candidate or not (a gate allowing more restarts does not lift it).
    if (running && spec.job_type === 'stream' && running.specVersion === state.deployedVersion) {
      const budget = spec.stream_config.restart_budget;
      const restarts = restartsInWindow(state, spec, now);
      if (restarts > budget.max_restarts) return restartBudgetSpent(state, desired, spec, running, restarts, now, ids);
    }
  }
  if (spec.state === 'suspended') {
    if (!running) return { state, requests: [], note: 'suspended' };
    const triggerId = ids.flinkId();
    return track(state, desired, now, ids, 'Stop', running.flinkJobId, running.runNumber, {
      kind: 'Stop',
      flinkJobId: running.flinkJobId,
      withSavepoint: true,
      triggerId,
      ...(spec.deployment.savepoint_path ? { targetDirectory: spec.deployment.savepoint_path } : {}),
      drain: false,
    });
  }
  if (!running) {
    if (state.stuckVersion === desired.version) {
      // An upgrade that failed for good left nothing running: back to the last stable version.
      const target = !state.failedVersion && state.deployedVersion !== desired.version ? rollbackTarget(state, desired, desired.version) : null;
      if (target) {
        const error = state.lastError ?? { code: 'FJC_STABILITY_JOB_FAILED', message: `version ${desired.version} could not be deployed` };
        const started = emit(
          state,
          [{ type: 'RollbackStarted', payload: { fromVersion: desired.version, toVersion: target.version, trigger: 'automatic', reason: `version ${desired.version} could not be deployed (${error.code}): ${error.message}`, restoreFrom: target.restoreFrom } }],
          causeOf(desired),
        );
        return withEvents(started.events, decideStream(started.state, desired, now, ids));
      }
      // The last stable version runs in its place: lost or failed, it is started again as any job is.
      const stableSpec = state.stableSpec ?? null;
      if (state.failedVersion && current && stableSpec && state.lastStableVersion !== null && current.specVersion === state.lastStableVersion) {
        const stable: DesiredJob = { ...desired, version: state.lastStableVersion, spec: stableSpec };
        if (current.state === 'NOT_FOUND') return redeployLost(state, stable, now, ids, `the Flink job ${current.flinkJobId} of the rolled-back-to version ${stable.version} is gone (NOT_FOUND)`);
        if (current.state === 'FAILED') return redeployFailed(state, stable, now, ids, current);
      }
      return { state, requests: [], note: `version ${desired.version} failed; waiting for a new version` };
    }
    if (current?.state === 'FAILED' && current.specVersion === desired.version) return redeployFailed(state, desired, now, ids, current);
    if (current?.state === 'NOT_FOUND') return redeployLost(state, desired, now, ids, `the Flink job ${current.flinkJobId} is gone (NOT_FOUND)`);
    return deploy(state, desired, now, ids, 0);
  }
  const requests: Request[] = [];
  let next = state;
  let adopted: Decided[] = [];
  // A version given up (rolled back) is not tried again until a new version arrives.
  if (state.deployedVersion !== desired.version && state.deployedSpec && state.stuckVersion !== desired.version) {
    // The same transition the spec-service's plan (POST /jobs/{id}/plan) shows before the change.
    const transition = specTransition(state.deployedSpec, spec);
    if (transition.kind === 'adopt') {
      const adoption = emit(state, [{ type: 'VersionAdopted', payload: { version: desired.version, reason: transition.change === 'none' ? 'no-change' : 'metadata-only' } }], causeOf(desired));
      next = adoption.state;
      adopted = adoption.events;
    } else if (running.state !== 'RUNNING') {
      return { state, requests: [], note: `upgrade waits for the job to be RUNNING (now ${running.state})` };
    } else {
      const flinkJobId = ids.flinkId();
      const mode = transition.upgradeMode;
      return track(state, desired, now, ids, 'Upgrade', flinkJobId, 0, {
        kind: 'Upgrade',
        fromFlinkJobId: running.flinkJobId,
        flinkJobId,
        specVersion: desired.version,
        spec,
        upgradeMode: mode,
        ...(mode === 'savepoint' ? { savepointTriggerId: ids.flinkId() } : {}),
      });
    }
  }
  // Periodic savepoints (stream_config.savepoint_trigger_interval): Flink has no per-job
  // option for them on a session cluster, so FJC triggers them.
  const interval = spec.job_type === 'stream' ? spec.stream_config.savepoint_trigger_interval : undefined;
  const since = Date.parse(next.lastSavepointAt ?? running.startedAt);
  if (interval !== undefined && running.state === 'RUNNING' && now.getTime() - since >= interval) {
    next = {
      ...next,
      lastSavepointAt: now.toISOString(),
      savepointRequests: [...next.savepointRequests, { requestId: ids.actionId(), targetDirectory: null, eventId: desired.eventId, correlationId: desired.correlationId, actor: { kind: 'service', id: 'reconciler' } }],
    };
  }
  // Savepoints someone asked for, once the job runs and nothing else is in flight.
  if (next.savepointRequests.length > 0 && running.state === 'RUNNING') {
    for (const r of next.savepointRequests) {
      requests.push({
        payload: {
          actionId: ids.actionId(),
          cluster: spec.cluster,
          action: {
            kind: 'TriggerSavepoint',
            flinkJobId: running.flinkJobId,
            triggerId: ids.flinkId(),
            ...(r.targetDirectory ?? spec.deployment.savepoint_path ? { targetDirectory: r.targetDirectory ?? spec.deployment.savepoint_path } : {}),
          },
        },
        cause: { eventId: r.eventId, correlationId: r.correlationId, actor: r.actor },
      });
    }
    next = { ...next, savepointRequests: [] };
  }
  // Savepoints retention lets go (stream_config.savepoint_retention), disposed of through Flink.
  if (spec.job_type === 'stream') {
    for (const savepoint of disposableSavepoints(next, spec, now)) {
      const actionId = ids.actionId();
      requests.push({
        payload: { actionId, cluster: spec.cluster, action: { kind: 'DisposeSavepoint', path: savepoint.path, triggerId: ids.flinkId() } },
        cause: { eventId: desired.eventId, correlationId: desired.correlationId, actor: RECONCILER },
      });
      next = { ...next, savepoints: (next.savepoints ?? []).map((s) => (s.path === savepoint.path ? { ...s, disposing: actionId } : s)) };
    }
  }
  return { state: next, events: adopted, requests };
}

function causeOf(desired: DesiredJob): Cause {
  return { eventId: desired.eventId, correlationId: desired.correlationId, actor: RECONCILER };
}

/** Folds decision events into the state, as a rebuild folds them back. */
function emit(state: JobState, events: readonly DecisionEvent[], cause: Cause): { state: JobState; events: Decided[] } {
  let next = state;
  for (const event of events) next = evolveOwn(next, event);
  return { state: next, events: events.map((event) => ({ event, cause })) };
}

function withEvents(events: readonly Decided[], decision: Decision): Decision {
  return { ...decision, events: [...events, ...(decision.events ?? [])] };
}

/** Every savepoint learnt of since the last decision, recorded with the version it belongs to. */
function recordSavepoints(state: JobState): { state: JobState; events: Decided[] } {
  const unrecorded = state.unrecordedSavepoints ?? [];
  if (unrecorded.length === 0 || !state.desired) return { state, events: [] };
  return emit(state, unrecorded.map((payload) => ({ type: 'SavepointRecorded' as const, payload: { ...payload } })), causeOf(state.desired));
}

/** The candidate failed: recorded with its evidence, then rolled back to the last stable version
 *  when the spec allows it and that version's state is known (or it keeps none). */
function failCandidate(state: JobState, desired: DesiredJob, verdict: Extract<GateVerdict, { kind: 'failed' }>, now: Date, ids: IdSource): Decision {
  const candidate = state.candidate;
  if (!candidate) return { state, requests: [] };
  const target = rollbackTarget(state, desired, candidate.version);
  const events: DecisionEvent[] = [
    { type: 'StabilityFailed', payload: { version: candidate.version, flinkJobId: candidate.flinkJobId, error: verdict.error, evidence: verdict.evidence, rollback: target !== null } },
  ];
  if (target) {
    events.push({
      type: 'RollbackStarted',
      payload: { fromVersion: candidate.version, toVersion: target.version, trigger: 'automatic', reason: `version ${candidate.version} failed (${verdict.error.code}): ${verdict.error.message}`, restoreFrom: target.restoreFrom },
    });
  }
  const failed = emit(state, events, causeOf(desired));
  const next = decideStream(failed.state, desired, now, ids);
  return withEvents(failed.events, { ...next, note: next.note ?? `version ${candidate.version} failed its stability gates: ${verdict.error.code}` });
}

/** Where an automatic rollback from `fromVersion` goes, or null when it cannot. */
function rollbackTarget(state: JobState, desired: DesiredJob, fromVersion: number): { version: number; restoreFrom: RestoreSource | null } | null {
  const stable = state.lastStableVersion;
  const stableSpec = state.stableSpec ?? null;
  if (!autoRollbackOf(desired.spec) || stable === null || stable === fromVersion || !stableSpec || stableSpec.job_type !== 'stream') return null;
  const restoreFrom = keepsState(stableSpec) ? stateOfVersion(state, stable, stableSpec) : null;
  // Never an empty start of a version that keeps state.
  if (restoreFrom === null && keepsState(stableSpec)) return null;
  return { version: stable, restoreFrom };
}

/** More restarts within the window than the budget allows: recorded, then the spec's remedy. */
function restartBudgetSpent(state: JobState, desired: DesiredJob, spec: StreamJobSpec, running: FlinkRun, restarts: number, now: Date, ids: IdSource): Decision {
  const budget = spec.stream_config.restart_budget;
  const target = budget.remedy === 'rollback' ? rollbackTarget(state, desired, running.specVersion) : null;
  // A job that keeps failing after RESTART_BUDGET_REDEPLOYS fresh starts gets the alert only:
  // another redeploy would not help (a missing slot, a poison record) and would only churn.
  const spent = state.budgetSpent?.version === running.specVersion ? state.budgetSpent.count : 0;
  const wanted = budget.remedy === 'rollback' && !target ? 'redeploy' : budget.remedy;
  const remedy = wanted === 'redeploy' && spent >= RESTART_BUDGET_REDEPLOYS ? 'alert' : wanted;
  const events: DecisionEvent[] = [{ type: 'JobUnhealthy', payload: { version: running.specVersion, flinkJobId: running.flinkJobId, restarts, windowMs: budget.window, remedy } }];
  if (target) {
    events.push({
      type: 'RollbackStarted',
      payload: { fromVersion: running.specVersion, toVersion: target.version, trigger: 'automatic', reason: `version ${running.specVersion} restarted ${restarts} times within ${budget.window / 1000} s (stream_config.restart_budget)`, restoreFrom: target.restoreFrom },
    });
  }
  const unhealthy = emit(state, events, causeOf(desired));
  const next = unhealthy.state.rollback ? carryOutRollback(unhealthy.state, desired, unhealthy.state.rollback, now, ids, activeRun(unhealthy.state.current)) : { state: unhealthy.state, requests: [] };
  return withEvents(unhealthy.events, { ...next, note: `restart budget spent (${restarts} restarts): ${remedy}` });
}

/** `fjc rollback --to N`: N's spec runs from N's newest state (savepoint or retained
 *  checkpoint); with none known, as an ordinary upgrade that carries the running job's state. */
function startOperatorRollback(state: JobState, desired: DesiredJob, now: Date, ids: IdSource): Decision {
  const requested = state.rollbackRequested;
  if (!requested) return { state, requests: [] };
  // A savepoint the operator named wins over the newest state recorded for the version.
  const named: RestoreSource | null = requested.savepointPath ? { kind: 'savepoint', path: requested.savepointPath } : null;
  const restoreFrom = named ?? (keepsState(desired.spec) ? stateOfVersion(state, requested.toVersion, desired.spec) : null);
  const reason = named
    ? `rollback to version ${requested.toVersion} by ${desired.actor.kind} ${desired.actor.id}: from the savepoint ${named.path} the operator named`
    : restoreFrom
    ? `rollback to version ${requested.toVersion} by ${desired.actor.kind} ${desired.actor.id}: from its ${restoreFrom.kind} ${restoreFrom.path}`
    : keepsState(desired.spec)
      ? `rollback to version ${requested.toVersion} by ${desired.actor.kind} ${desired.actor.id}: no savepoint or checkpoint of version ${requested.toVersion} is known, so the running job's state is carried over as in an upgrade`
      : `rollback to version ${requested.toVersion} by ${desired.actor.kind} ${desired.actor.id} (stateless)`;
  const started = emit(
    state,
    [{ type: 'RollbackStarted', payload: { fromVersion: state.deployedVersion ?? requested.fromVersion, toVersion: requested.toVersion, trigger: 'operator', reason, restoreFrom } }],
    { eventId: desired.eventId, correlationId: desired.correlationId, actor: desired.actor },
  );
  const rollback = started.state.rollback;
  const next = rollback ? carryOutRollback(started.state, desired, rollback, now, ids, activeRun(started.state.current)) : decideStream(started.state, desired, now, ids);
  return withEvents(started.events, next);
}

/** A rollback under way: the running job is stopped (an operator's, with a savepoint) or
 *  cancelled (a failed candidate's), then the rolled-back spec starts from the chosen state. */
function carryOutRollback(state: JobState, desired: DesiredJob, rollback: Rollback, now: Date, ids: IdSource, running: FlinkRun | null): Decision {
  const cause: Cause = rollback.trigger === 'operator' ? { eventId: desired.eventId, correlationId: desired.correlationId, actor: desired.actor } : causeOf(desired);
  const by: DesiredJob = { ...desired, ...cause, version: rollback.deployVersion, spec: rollback.spec };
  if (rollback.deployedFlinkJobId !== null) {
    const done = emit(state, [{ type: 'RollbackCompleted', payload: { fromVersion: rollback.fromVersion, toVersion: rollback.toVersion, flinkJobId: rollback.deployedFlinkJobId, restoredFrom: rollback.restoreFrom } }], cause);
    return withEvents(done.events, decideStream(done.state, desired, now, ids));
  }
  // An operator's rollback with no state of its own is an ordinary upgrade of the running job.
  if (rollback.trigger === 'operator' && rollback.restoreFrom === null && running && running.state === 'RUNNING' && state.deployedSpec) {
    const flinkJobId = ids.flinkId();
    const mode = rollback.spec.deployment.upgrade_mode;
    return track(state, by, now, ids, 'Upgrade', flinkJobId, 0, {
      kind: 'Upgrade',
      fromFlinkJobId: running.flinkJobId,
      flinkJobId,
      specVersion: by.version,
      spec: by.spec,
      upgradeMode: mode,
      ...(mode === 'savepoint' ? { savepointTriggerId: ids.flinkId() } : {}),
    });
  }
  if (running) {
    const keep = rollback.trigger === 'operator' && running.state === 'RUNNING' && state.deployedSpec !== null && keepsState(state.deployedSpec);
    if (keep) {
      return track(state, by, now, ids, 'Stop', running.flinkJobId, running.runNumber, {
        kind: 'Stop',
        flinkJobId: running.flinkJobId,
        withSavepoint: true,
        triggerId: ids.flinkId(),
        ...(state.deployedSpec?.deployment.savepoint_path ? { targetDirectory: state.deployedSpec.deployment.savepoint_path } : {}),
        drain: false,
      });
    }
    // A redeploy starts from the state this run leaves: the deployer reports the checkpoint it retained.
    const keepState = rollback.trigger === 'restart-budget' && rollback.restoreFrom?.kind === 'checkpoint';
    return track(state, by, now, ids, 'Cancel', running.flinkJobId, running.runNumber, { kind: 'Cancel', flinkJobId: running.flinkJobId, ...(keepState ? { keepState } : {}) });
  }
  const restore = rollback.trigger === 'operator' && rollback.restoreFrom === null ? undefined : rollback.restoreFrom;
  const d = deploy(state, by, now, ids, 0, restore);
  return { ...d, note: `${rollback.reason}: starting version ${by.version}${rollback.restoreFrom ? ` from ${rollback.restoreFrom.kind} ${rollback.restoreFrom.path}` : ''}` };
}

function decideBatch(state: JobState, desired: DesiredJob, now: Date, ids: IdSource): Decision {
  const spec = desired.spec as Extract<JobSpec, { job_type: 'batch' }>;
  const config = spec.batch_config;
  const current = state.current;
  const running = activeRun(current);
  if (running) {
    const ending = endExpiredRun(state, desired, config, running, now, ids);
    if (ending) return ending;
  }
  if (spec.state === 'suspended') {
    const skipped = skipTicks(state, desired, state.dueTicks, 'suspended');
    return withEvents(skipped.events, running ? cancel(skipped.state, desired, now, ids, running, 'suspended') : { state: skipped.state, requests: [], note: 'suspended' });
  }
  if (!config.cron) {
    // Unscheduled: one run per applied version.
    if (running || current?.specVersion === desired.version || state.stuckVersion === desired.version) return { state, requests: [] };
    return deploy(state, desired, now, ids, 0);
  }
  // A FAILED scheduled run is started again (batch_config.retry) before any tick due meanwhile.
  if (!running && config.retry.max_attempts > 1) {
    const retrying = retryFailedRun(state, desired, config.retry, now, ids);
    if (retrying) return retrying;
  }
  const cleanUp = cleanUpAfterLastRun(state, desired, config, now, ids);
  if (cleanUp) return cleanUp;
  const [tick, ...rest] = state.dueTicks;
  if (!tick) return { state, requests: [], note: 'waiting for the next scheduled run' };
  if (config.max_runs !== undefined && tick.runNumber > config.max_runs) {
    const skipped = skipTicks(state, desired, [tick], 'max_runs');
    return { state: skipped.state, events: skipped.events, requests: [], note: 'max_runs reached' };
  }
  const withTick = { ...state, desired: { ...desired, eventId: tick.eventId, correlationId: tick.correlationId, actor: { kind: 'service' as const, id: 'scheduler' } } };
  if (running) {
    switch (config.concurrency_policy) {
      case 'forbid': {
        const skipped = skipTicks(state, desired, [tick], 'forbid');
        return { state: skipped.state, events: skipped.events, requests: [], note: `skipped run ${tick.runNumber}: the previous run is still going (concurrency_policy forbid)` };
      }
      case 'replace':
        return cancel(state, withTick.desired, now, ids, running, `run ${tick.runNumber} replaces it (concurrency_policy replace)`);
      case 'allow':
        return scheduled(deploy({ ...state, dueTicks: rest, others: [...state.others, running], current: null }, withTick.desired, now, ids, tick.runNumber), tick.scheduledTime);
    }
  }
  return scheduled(deploy({ ...state, dueTicks: rest }, withTick.desired, now, ids, tick.runNumber), tick.scheduledTime);
}

/**
 * batch_config.max_runs: once the last scheduled run has started and none of the job's runs goes
 * on or waits for a retry, the deployer is asked (CleanUp) to delete the jars of the runs started
 * since the last clean-up and to prune its records of them. Asked once per set of runs: its
 * success forgets them (a new version with a higher max_runs makes a new set), a failure is asked
 * again after a pause. The job keeps its last run (current), so it still shows how that run
 * ended. Not tracked as the pending action: a clean-up blocks nothing and fails nothing.
 */
function cleanUpAfterLastRun(state: JobState, desired: DesiredJob, config: BatchConfig, now: Date, ids: IdSource): Decision | null {
  const maxRuns = config.max_runs;
  const runs = state.runsToCleanUp ?? [];
  if (maxRuns === undefined || state.runsStarted < maxRuns || runs.length === 0 || state.cleanUp) return null;
  if ([state.current, ...state.others].some((r) => activeRun(r) !== null) || retryDue(state) !== null) return null;
  const failures = state.cleanUpFailures;
  if (failures && (failures.retryAt === null || Date.parse(failures.retryAt) > now.getTime())) return null;
  const actionId = ids.actionId();
  return {
    state: { ...state, cleanUp: { actionId, flinkJobIds: runs } },
    requests: [{ payload: { actionId, cluster: desired.spec.cluster, action: { kind: 'CleanUp', flinkJobIds: [...runs], reason: 'max_runs' } }, cause: causeOf(desired) }],
    note: `max_runs reached: cleaning up the ${runs.length} ended run(s)`,
  };
}

/** The Deploy of a scheduled run carries the tick's time to the run (batch_config.sla counts from it). */
function scheduled(decision: Decision, scheduledAt: string): Decision {
  const pending = decision.state.pending;
  return pending && pending.kind === 'Deploy' ? { ...decision, state: { ...decision.state, pending: { ...pending, scheduledAt } } } : decision;
}

/**
 * A batch run past one of its limits is recorded as expired (BatchRunExpired: the job shows
 * FAILED with the limit's code once the run ended). Past ttl_seconds it is stopped with a
 * savepoint, so a streaming program run as a batch job ends gracefully; Flink refuses that stop
 * for a BATCH-mode program (it takes no savepoints), and a stop may hang, so a run still going
 * when the stop failed or at the end of the grace period is cancelled. Past
 * completion_timeout_seconds (Flink never reported it ended) it is taken as hung and cancelled
 * at once. Null while the run is within its limits.
 */
function endExpiredRun(state: JobState, desired: DesiredJob, config: BatchConfig, running: FlinkRun, now: Date, ids: IdSource): Decision | null {
  const expired = state.expiredRun?.flinkJobId === running.flinkJobId ? state.expiredRun : null;
  if (!expired) {
    const passed = passedLimit(config, running, now);
    if (!passed) return null;
    const graceful = passed.limit === 'ttl_seconds';
    const what = graceful ? 'was still going after batch_config.ttl_seconds' : 'was not reported ended by Flink within batch_config.completion_timeout_seconds';
    const error = { code: BATCH_RUN_LIMIT_CODES[passed.limit], message: `run ${running.runNumber} (Flink job ${running.flinkJobId}) ${what} (${passed.seconds} s); FJC ${graceful ? 'stopped' : 'cancelled'} it` };
    const cancelAt = new Date(now.getTime() + (graceful ? BATCH_STOP_GRACE_MS : 0)).toISOString();
    const payload = { version: running.specVersion, flinkJobId: running.flinkJobId, runNumber: running.runNumber, limit: passed.limit, limitSeconds: passed.seconds, cancelAt, error };
    const recorded = emit(state, [{ type: 'BatchRunExpired', payload }], causeOf(desired));
    if (!graceful) return withEvents(recorded.events, cancel(recorded.state, desired, now, ids, running, `${passed.limit} passed: cancelling the run`));
    const stop = track(recorded.state, desired, now, ids, 'Stop', running.flinkJobId, running.runNumber, {
      kind: 'Stop',
      flinkJobId: running.flinkJobId,
      withSavepoint: true,
      triggerId: ids.flinkId(),
      ...(desired.spec.deployment.savepoint_path ? { targetDirectory: desired.spec.deployment.savepoint_path } : {}),
      drain: false,
    });
    return withEvents(recorded.events, { ...stop, note: 'ttl_seconds passed: stopping the run with a savepoint' });
  }
  // The stop failed (its error is the last one) or the grace period is over: cancel.
  if (state.failures > 0 || now.getTime() >= Date.parse(expired.cancelAt)) return cancel(state, desired, now, ids, running, 'the run is past its limit and the stop did not end it');
  return { state, requests: [], note: `ttl_seconds passed: waiting until ${expired.cancelAt} for the stop to end ${running.flinkJobId}` };
}

/**
 * batch_config.retry: a scheduled run whose Flink job FAILED is recorded for a retry
 * (BatchRunRetried: attempt n of max_attempts, at now + backoff_seconds) and started again under
 * the same run number when that time comes, until max_attempts attempts failed. Null when there
 * is nothing to retry.
 */
function retryFailedRun(state: JobState, desired: DesiredJob, retry: BatchConfig['retry'], now: Date, ids: IdSource): Decision | null {
  const current = state.current;
  if (!current || current.state !== 'FAILED' || current.runNumber === 0) return null;
  const due = retryDue(state);
  if (due) {
    if (now.getTime() < Date.parse(due.retryAt)) return { state, requests: [], note: `retrying run ${due.runNumber} (attempt ${due.attempt} of ${retry.max_attempts}) at ${due.retryAt}` };
    const d = deploy(state, desired, now, ids, due.runNumber);
    return { ...d, note: `retrying run ${due.runNumber}: attempt ${due.attempt} of ${retry.max_attempts}` };
  }
  // Attempts so far of this run: the newest retry's, or 1 (this was its first).
  const previous = state.batchRetry?.runNumber === current.runNumber ? state.batchRetry.attempt : 1;
  const attempt = previous + 1;
  if (attempt > retry.max_attempts) return null;
  const error = state.lastError ?? { code: 'FJC_FLINK_JOB_FAILED', message: `the Flink job ${current.flinkJobId} failed` };
  const retryAt = new Date(now.getTime() + retry.backoff_seconds * 1000).toISOString();
  const recorded = emit(
    state,
    [{ type: 'BatchRunRetried', payload: { version: current.specVersion, runNumber: current.runNumber, failedFlinkJobId: current.flinkJobId, attempt, maxAttempts: retry.max_attempts, retryAt, error } }],
    causeOf(desired),
  );
  return withEvents(recorded.events, decideBatch(recorded.state, desired, now, ids));
}

type BatchConfig = Extract<JobSpec, { job_type: 'batch' }>['batch_config'];

/** The first of the run's limits it is past, if any (the earlier deadline wins). */
function passedLimit(config: BatchConfig, running: FlinkRun, now: Date): { limit: 'ttl_seconds' | 'completion_timeout_seconds'; seconds: number } | null {
  const age = now.getTime() - Date.parse(running.startedAt);
  const limits = [
    ...(config.completion_timeout_seconds !== undefined ? [{ limit: 'completion_timeout_seconds' as const, seconds: config.completion_timeout_seconds }] : []),
    ...(config.ttl_seconds !== undefined ? [{ limit: 'ttl_seconds' as const, seconds: config.ttl_seconds }] : []),
  ].filter((l) => age > l.seconds * 1000);
  return limits.reduce<(typeof limits)[number] | null>((first, l) => (first === null || l.seconds < first.seconds ? l : first), null);
}

function skipTicks(state: JobState, desired: DesiredJob, ticks: JobState['dueTicks'], reason: 'forbid' | 'max_runs' | 'suspended'): { state: JobState; events: Decided[] } {
  return emit(state, ticks.map((t) => ({ type: 'TickSkipped' as const, payload: { scheduledTime: t.scheduledTime, runNumber: t.runNumber, reason } })), causeOf(desired));
}

function cancelAll(state: JobState, desired: DesiredJob, now: Date, ids: IdSource): Decision {
  const active = [state.current, ...state.others].map(activeRun).find((r) => r !== null) ?? null;
  return active ? cancel(state, desired, now, ids, active, 'job deleted') : { state, requests: [], note: 'deleted' };
}

function cancel(state: JobState, desired: DesiredJob, now: Date, ids: IdSource, run: FlinkRun, why: string): Decision {
  const d = track(state, desired, now, ids, 'Cancel', run.flinkJobId, run.runNumber, { kind: 'Cancel', flinkJobId: run.flinkJobId });
  return { ...d, note: why };
}


/**
 * Flink no longer knows the job (a restart without HA). A job that keeps state starts again from
 * the newest state the log proves; with none, it waits for an operator (NEEDS_ATTENTION) instead
 * of starting empty. A stateless job is simply deployed again.
 */
function redeployLost(state: JobState, desired: DesiredJob, now: Date, ids: IdSource, lostWhat: string): Decision {
  if (!keepsState(desired.spec)) {
    const d = deploy(state, desired, now, ids, 0, null);
    return { ...d, note: `${lostWhat}; upgrade_mode stateless: deploying it again without state` };
  }
  const source = newestKnownState(state);
  if (source) {
    const d = deploy(state, desired, now, ids, 0, source);
    return { ...d, note: `${lostWhat}; restoring it from ${source.kind} ${source.path}` };
  }
  const reason = `${lostWhat} and no retained checkpoint or savepoint of it is known; not starting it empty (fjc recover --from-savepoint PATH or --empty-state)`;
  const attention = emit(state, [{ type: 'AttentionNeeded', payload: { error: { code: 'FJC_STATE_NOT_FOUND', message: reason } } }], causeOf(desired));
  return { state: attention.state, events: attention.events, requests: [], note: reason };
}

/**
 * The Flink job FAILED past its restart strategy: started again from its newest proven state
 * (as a lost one is), FAILED_REDEPLOY_LIMIT times per version at most, so a job that fails on
 * every start does not loop; then it stays FAILED.
 */
function redeployFailed(state: JobState, desired: DesiredJob, now: Date, ids: IdSource, failed: FlinkRun): Decision {
  const used = state.failedRedeploys?.specVersion === desired.version ? state.failedRedeploys.count : 0;
  if (used >= FAILED_REDEPLOY_LIMIT) {
    return { state, requests: [], note: `the Flink job failed; version ${desired.version} was started again ${used} times already, so it stays FAILED until a new version, resume or rollback` };
  }
  const counted = emit(state, [{ type: 'JobRedeployed', payload: { version: desired.version, attempt: used + 1 } }], causeOf(desired));
  return withEvents(counted.events, redeployLost(counted.state, desired, now, ids, `the Flink job ${failed.flinkJobId} FAILED past its restart strategy (start ${used + 1} of ${FAILED_REDEPLOY_LIMIT})`));
}

/** Carries out an operator's recovery decision: the job that runs (if any) is cancelled first. */
function recover(state: JobState, desired: DesiredJob, now: Date, ids: IdSource, running: FlinkRun | null): Decision {
  const recovery = state.recovery;
  if (!recovery) return { state, requests: [] };
  const by = { ...desired, eventId: recovery.eventId, correlationId: recovery.correlationId, actor: recovery.actor };
  if (running) {
    const d = track(state, by, now, ids, 'Cancel', running.flinkJobId, running.runNumber, { kind: 'Cancel', flinkJobId: running.flinkJobId });
    return { ...d, note: `recovery by ${recovery.actor.kind} ${recovery.actor.id}: cancelling the running job first` };
  }
  if (desired.spec.state === 'suspended') {
    const applied = emit(state, [{ type: 'RecoveryApplied', payload: { from: recovery.from.kind, suspended: true } }], { eventId: recovery.eventId, correlationId: recovery.correlationId, actor: recovery.actor });
    return { state: applied.state, events: applied.events, requests: [], note: `recovered by ${recovery.actor.kind} ${recovery.actor.id}; suspended` };
  }
  const from = recovery.from;
  const cleared: JobState = { ...state, recovery: null, needsAttention: null, lastError: null, stuckVersion: null, failures: 0 };
  const d = deploy(cleared, by, now, ids, 0, from.kind === 'savepoint' ? { kind: 'savepoint', path: from.path } : null);
  const what = from.kind === 'savepoint' ? `from savepoint ${from.path}` : 'with empty state';
  return { ...d, note: `recovered by ${recovery.actor.kind} ${recovery.actor.id}: starting ${what}` };
}

/** `restoreFrom` undefined: resume from the newest savepoint, as always; null: no state. */
function deploy(state: JobState, desired: DesiredJob, now: Date, ids: IdSource, runNumber: number, restoreFrom?: RestoreSource | null): Decision {
  // The retry of a Deploy whose answer was lost goes under the same id: Flink never runs it twice.
  const unconfirmed = state.unconfirmedDeploy;
  const flinkJobId = unconfirmed && unconfirmed.specVersion === desired.version && unconfirmed.runNumber === runNumber ? unconfirmed.flinkJobId : ids.flinkId();
  // Resume continues from the newest savepoint; a batch job never restores state.
  const source = restoreFrom !== undefined ? restoreFrom : desired.spec.job_type === 'stream' && state.lastSavepoint ? { kind: 'savepoint' as const, path: state.lastSavepoint } : null;
  const restore = source ? { restoreFrom: source } : {};
  const next = runNumber > 0 ? { ...state, runsStarted: Math.max(state.runsStarted, runNumber) } : state;
  return track(next, desired, now, ids, 'Deploy', flinkJobId, runNumber, {
    kind: 'Deploy',
    flinkJobId,
    specVersion: desired.version,
    spec: desired.spec,
    ...restore,
  });
}

function track(
  state: JobState,
  desired: DesiredJob,
  now: Date,
  ids: IdSource,
  kind: PendingActionKind,
  flinkJobId: string,
  runNumber: number,
  action: ActionRequest['action'],
): Decision {
  const payload: ActionRequest = { actionId: ids.actionId(), cluster: desired.spec.cluster, action };
  const pending: PendingAction = {
    actionId: payload.actionId,
    kind,
    requestedAt: now.toISOString(),
    specVersion: desired.version,
    flinkJobId,
    runNumber,
    request: payload,
  };
  return {
    state: { ...state, pending },
    requests: [{ payload, cause: { eventId: desired.eventId, correlationId: desired.correlationId, actor: desired.actor } }],
  };
}

function resend(state: JobState, pending: PendingAction): Request {
  const desired = state.desired;
  return {
    payload: pending.request,
    cause: desired ? { eventId: desired.eventId, correlationId: desired.correlationId, actor: desired.actor } : { eventId: pending.actionId, correlationId: pending.actionId, actor: { kind: 'service', id: 'reconciler' } },
  };
}
