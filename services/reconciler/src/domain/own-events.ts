// The reconciler's own decision events (StabilityConfirmed, StabilityFailed, RollbackStarted,
// RollbackCompleted, SavepointRecorded, JobUnhealthy) and how they fold into the job state.
// decide returns them; the same fold applies them live and when the state is rebuilt from the
// log, so what they change is never decided twice. Every fold here is idempotent: a rebuild may
// meet a decision both as a request-free move and as its recorded event.
import type { PayloadOf } from '@fjc/contracts';
import { keepsState, type JobState, type Rollback } from './job-state';
import { EMPTY_SLA, recordMiss } from './sla';
import { newestKnownState } from './stability';

export const DECISION_EVENT_TYPES = [
  'StabilityConfirmed',
  'StabilityFailed',
  'RollbackStarted',
  'RollbackCompleted',
  'SavepointRecorded',
  'JobUnhealthy',
  'VersionAdopted',
  'TickSkipped',
  'AttentionNeeded',
  'RecoveryApplied',
  'JobRedeployed',
  'SlaMissed',
  'BatchRunExpired',
  'BatchRunRetried',
] as const;
export type DecisionEventType = (typeof DECISION_EVENT_TYPES)[number];

/** A decision event as decide returns it, before it is appended. RollbackStarted carries what
 *  the reconciler needs to carry it out (the spec to run and under which version). */
export type DecisionEvent =
  | { readonly type: 'StabilityConfirmed'; readonly payload: PayloadOf<'StabilityConfirmed'> }
  | { readonly type: 'StabilityFailed'; readonly payload: PayloadOf<'StabilityFailed'> }
  | { readonly type: 'RollbackStarted'; readonly payload: PayloadOf<'RollbackStarted'> }
  | { readonly type: 'RollbackCompleted'; readonly payload: PayloadOf<'RollbackCompleted'> }
  | { readonly type: 'SavepointRecorded'; readonly payload: PayloadOf<'SavepointRecorded'> }
  | { readonly type: 'JobUnhealthy'; readonly payload: PayloadOf<'JobUnhealthy'> }
  | { readonly type: 'VersionAdopted'; readonly payload: PayloadOf<'VersionAdopted'> }
  | { readonly type: 'TickSkipped'; readonly payload: PayloadOf<'TickSkipped'> }
  | { readonly type: 'AttentionNeeded'; readonly payload: PayloadOf<'AttentionNeeded'> }
  | { readonly type: 'RecoveryApplied'; readonly payload: PayloadOf<'RecoveryApplied'> }
  | { readonly type: 'JobRedeployed'; readonly payload: PayloadOf<'JobRedeployed'> }
  | { readonly type: 'SlaMissed'; readonly payload: PayloadOf<'SlaMissed'> }
  | { readonly type: 'BatchRunExpired'; readonly payload: PayloadOf<'BatchRunExpired'> }
  | { readonly type: 'BatchRunRetried'; readonly payload: PayloadOf<'BatchRunRetried'> };

export function isDecisionEventType(type: string): type is DecisionEventType {
  return (DECISION_EVENT_TYPES as readonly string[]).includes(type);
}

/** Folds one of the reconciler's decision events into the job state. */
export function evolveOwn(state: JobState, event: DecisionEvent): JobState {
  switch (event.type) {
    case 'VersionAdopted': {
      const desired = state.desired;
      if (!desired || desired.version !== event.payload.version) return state;
      return { ...state, deployedVersion: desired.version, deployedSpec: desired.spec };
    }
    case 'TickSkipped':
      return { ...state, dueTicks: state.dueTicks.filter((t) => t.scheduledTime !== event.payload.scheduledTime) };
    case 'AttentionNeeded':
      return { ...state, needsAttention: { reason: event.payload.error.message }, lastError: event.payload.error, retryAfter: null };
    case 'RecoveryApplied':
      return { ...state, recovery: null, needsAttention: null, lastError: null };
    case 'SlaMissed':
      return { ...state, sla: recordMiss(state.sla ?? EMPTY_SLA, event.payload) };
    case 'JobRedeployed':
      return { ...state, failedRedeploys: { specVersion: event.payload.version, count: event.payload.attempt } };
    case 'BatchRunExpired': {
      const p = event.payload;
      return { ...state, expiredRun: { flinkJobId: p.flinkJobId, cancelAt: p.cancelAt, error: p.error } };
    }
    case 'BatchRunRetried': {
      const p = event.payload;
      return { ...state, batchRetry: { runNumber: p.runNumber, failedFlinkJobId: p.failedFlinkJobId, attempt: p.attempt, retryAt: p.retryAt } };
    }
    case 'StabilityConfirmed': {
      const p = event.payload;
      const spec = state.deployedVersion === p.version ? state.deployedSpec : state.desired?.version === p.version ? state.desired.spec : (state.stableSpec ?? null);
      return {
        ...state,
        lastStableVersion: p.version,
        stableSpec: spec,
        candidate: state.candidate?.flinkJobId === p.flinkJobId ? null : (state.candidate ?? null),
      };
    }
    case 'StabilityFailed': {
      const p = event.payload;
      return {
        ...state,
        candidate: state.candidate?.flinkJobId === p.flinkJobId ? null : (state.candidate ?? null),
        lastError: p.error,
        // Given up for good only when it is rolled back (RollbackStarted); otherwise the usual
        // paths go on (a failed job is started again from its newest state a few times).
        ...(p.rollback ? { failedVersion: { version: p.version, error: p.error } } : {}),
      };
    }
    case 'RollbackStarted': {
      const p = event.payload;
      if (state.rollback && state.rollback.fromVersion === p.fromVersion && state.rollback.toVersion === p.toVersion) return state;
      const operator = p.trigger === 'operator';
      const deployVersion = operator ? (state.desired?.version ?? p.toVersion) : p.toVersion;
      const spec = operator ? state.desired?.spec : state.stableSpec;
      if (!spec) return state;
      // An automatic rollback gives the version up: not tried again until a new one is applied.
      const givenUp = p.trigger === 'automatic' && p.fromVersion !== p.toVersion
        ? { stuckVersion: p.fromVersion, failedVersion: state.failedVersion?.version === p.fromVersion ? state.failedVersion : { version: p.fromVersion, error: state.lastError ?? { code: 'FJC_STABILITY_JOB_FAILED', message: p.reason } } }
        : {};
      const rollback: Rollback = {
        trigger: p.trigger,
        fromVersion: p.fromVersion,
        toVersion: p.toVersion,
        deployVersion,
        spec,
        restoreFrom: p.restoreFrom,
        reason: p.reason,
        deployedFlinkJobId: null,
      };
      return { ...state, ...givenUp, rollback, rollbackRequested: null };
    }
    case 'RollbackCompleted':
      return state.rollback?.toVersion === event.payload.toVersion ? { ...state, rollback: null } : state;
    case 'SavepointRecorded': {
      const p = event.payload;
      const unrecorded = (state.unrecordedSavepoints ?? []).filter((s) => s.path !== p.path);
      if ((state.savepoints ?? []).some((s) => s.path === p.path)) return { ...state, unrecordedSavepoints: unrecorded };
      return { ...state, unrecordedSavepoints: unrecorded, savepoints: [...(state.savepoints ?? []), { ...p, disposing: null, disposeFailures: 0 }] };
    }
    case 'JobUnhealthy': {
      const p = event.payload;
      const windowMs = p.windowMs;
      // remedy redeploy: a fresh job of the same version from its newest state (never empty
      // when the job keeps state and none is known: then only the alert).
      const spec = state.deployedSpec;
      const restore = spec ? (keepsState(spec) ? newestKnownState(state) : null) : null;
      const redeploy = p.remedy === 'redeploy' && spec !== null && !state.rollback && (restore !== null || !keepsState(spec));
      const rollback: Rollback | null = redeploy
        ? { trigger: 'restart-budget', fromVersion: p.version, toVersion: p.version, deployVersion: p.version, spec, restoreFrom: restore, reason: 'restart budget exceeded', deployedFlinkJobId: null }
        : (state.rollback ?? null);
      const spent = state.budgetSpent?.version === p.version ? state.budgetSpent.count + 1 : 1;
      return {
        ...state,
        rollback,
        budgetSpent: { version: p.version, count: spent },
        restartTimes: [],
        lastError: {
          code: 'FJC_RESTART_BUDGET_EXCEEDED',
          message: `the Flink job ${p.flinkJobId} restarted ${p.restarts} times within ${Math.round(windowMs / 1000)} s, more than stream_config.restart_budget allows (remedy: ${p.remedy})`,
        },
      };
    }
  }
}
