// Rebuilding a job's reconciler state from the log (recovery), purely, as a plain fold: inputs
// with `evolve`, the reconciler's decision events with `evolveOwn` (every move a decision makes
// without asking the deployer for anything is such an event: a version adopted, a tick skipped,
// a job needing attention...), and every action it asked for from the ActionRequested that
// recorded it, with the ids chosen then.
import type { EventOf, PayloadOf } from '@fjc/contracts';
import { evolve } from './evolve';
import type { ReconcilerInput } from './inputs';
import { activeRun, retryDue, type FlinkRun, type JobState, type PendingAction } from './job-state';
import { evolveOwn, type DecisionEventType } from './own-events';

export type OwnEvent = EventOf<'ActionRequested' | 'LifecycleChanged' | DecisionEventType>;

/** Ticks seen so far (event id -> run number): a Deploy names the tick it serves as its cause. */
export type TickRuns = Map<string, number>;

/** Folds one input as the live reconciler did: every move a decision made is an event of its own. */
export function recallInput(state: JobState, input: ReconcilerInput, ticks: TickRuns): JobState {
  if (input.type === 'ScheduleTick') ticks.set(input.id, input.payload.runNumber);
  return evolve(state, input);
}

/** Folds one of the reconciler's own events back into the state it came from. */
export function recallOwn(state: JobState, event: OwnEvent, ticks: TickRuns): JobState {
  if (event.type !== 'LifecycleChanged' && event.type !== 'ActionRequested') return evolveOwn(state, event);
  if (event.type === 'LifecycleChanged') {
    const p = event.payload;
    return {
      ...state,
      announced: {
        state: p.to,
        deployedVersion: p.deployedVersion,
        lastStableVersion: p.lastStableVersion,
        flinkJobId: p.flinkJobId,
        // Events written before FJC detected Flink versions have no such field, nor had the
        // state announced then.
        ...(p.flinkVersion === undefined ? {} : { flinkVersion: p.flinkVersion }),
        lastErrorCode: p.lastError?.code ?? null,
        alert: p.alert,
        ...(p.candidate === undefined ? {} : { candidate: p.candidate }),
        ...(p.failedVersion === undefined ? {} : { failedVersion: p.failedVersion }),
      },
    };
  }
  return recallRequest(state, event);

  function recallRequest(s: JobState, e: EventOf<'ActionRequested'>): JobState {
    const payload = e.payload;
    const action = payload.action;
    const at = e.occurredAt;
    // The same action asked for again (no result for too long): only its time moves.
    if (s.pending?.actionId === payload.actionId) return { ...s, pending: { ...s.pending, requestedAt: at } };
    switch (action.kind) {
      case 'TriggerSavepoint': {
        // A periodic savepoint (the reconciler's own) also moves the interval's clock.
        if (e.actor.kind === 'service' && e.actor.id === 'reconciler') return { ...s, lastSavepointAt: at };
        // One asked for (POST /jobs/{id}/savepoints): it names the request as its cause.
        return { ...s, savepointRequests: s.savepointRequests.filter((r) => r.eventId !== e.causationId) };
      }
      case 'Deploy': {
        // A retry of a FAILED scheduled run (BatchRunRetried, folded before it) keeps its run number.
        const runNumber = (e.causationId !== null ? ticks.get(e.causationId) : undefined) ?? retryDue(s)?.runNumber ?? 0;
        const running = activeRun(s.current);
        // A scheduled run while the previous one goes on (concurrency_policy allow) keeps it aside.
        const keepAside = runNumber > 0 && running !== null;
        // The deploy that carries out an operator's recovery decision settles it.
        const recovered = s.recovery ? { recovery: null, needsAttention: null, lastError: null, stuckVersion: null, failures: 0 } : {};
        const next: JobState = {
          ...s,
          ...recovered,
          ...(runNumber > 0 ? { runsStarted: Math.max(s.runsStarted, runNumber), dueTicks: s.dueTicks.filter((t) => t.runNumber > runNumber) } : {}),
          ...(keepAside ? { others: [...s.others, running], current: null } : {}),
        };
        // The tick it serves is still due in the state folded so far: its time goes to the run (sla).
        const scheduledAt = runNumber > 0 ? s.dueTicks.find((t) => t.runNumber === runNumber)?.scheduledTime : undefined;
        const tracked = track(next, payload, at, 'Deploy', action.specVersion, action.flinkJobId, runNumber);
        return scheduledAt && tracked.pending ? { ...tracked, pending: { ...tracked.pending, scheduledAt } } : tracked;
      }
      case 'Upgrade':
        return track(s, payload, at, 'Upgrade', action.specVersion, action.flinkJobId, 0);
      case 'DisposeSavepoint':
        return { ...s, savepoints: (s.savepoints ?? []).map((r) => (r.path === action.path ? { ...r, disposing: payload.actionId } : r)) };
      case 'CleanUp':
        return { ...s, cleanUp: { actionId: payload.actionId, flinkJobIds: action.flinkJobIds } };
      case 'Stop':
      case 'Cancel': {
        const run = [s.current, ...s.others].find((r): r is FlinkRun => r !== null && r.flinkJobId === action.flinkJobId);
        const version = s.rollback ? s.rollback.deployVersion : (s.desired?.version ?? 0);
        return track(s, payload, at, action.kind, version, action.flinkJobId, run?.runNumber ?? 0);
      }
    }
    return s;
  }
}

function track(
  state: JobState,
  request: PayloadOf<'ActionRequested'>,
  at: string,
  kind: PendingAction['kind'],
  specVersion: number,
  flinkJobId: string,
  runNumber: number,
): JobState {
  return { ...state, pending: { actionId: request.actionId, kind, requestedAt: at, specVersion, flinkJobId, runNumber, request } };
}
