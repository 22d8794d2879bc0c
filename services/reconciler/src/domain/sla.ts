// Service levels (batch_config.sla, stream_config.sla): pure. evaluateSla looks at the job's
// runs (or, for a stream job, how long it has been RUNNING in the current window) at `now` and
// returns the SlaMissed events not yet recorded, the tracker to keep, and when to look again.
// Level-triggered and exactly-once: a miss is keyed by its run and objective (or its window) and
// the key is folded into the state with the event (evolveOwn), so a second look, a resync or a
// rebuild from the log never records it twice.
import { nextFireTime, type PayloadOf } from '@fjc/contracts';
import { TERMINAL_FLINK_STATES, type FlinkRun, type JobState } from './job-state';

export type SlaMissedPayload = PayloadOf<'SlaMissed'>;

export interface SlaTracker {
  /** Keys of the misses recorded: `<flinkJobId>:<objective>` or `window:<start>`; the newest kept. */
  readonly reported: readonly string[];
  /** The stream window being measured: RUNNING time so far, and the state at the last look. */
  readonly window: {
    readonly start: string;
    /** From when the window is measured: its start, or the first look when FJC began in it
     *  (the share is of the time measured, so a level set mid-window is not missed for the time before). */
    readonly measuredFrom?: string;
    readonly runningMs: number;
    readonly lastAt: string;
    readonly running: boolean;
  } | null;
}

export interface SlaVerdict {
  readonly missed: readonly SlaMissedPayload[];
  readonly tracker: SlaTracker;
  /** The next time a miss could become due; null when nothing is waiting. */
  readonly nextAt: string | null;
}

/** Recorded keys remembered per job (runs and windows far older are never looked at again). */
export const SLA_KEYS_KEPT = 200;

export const EMPTY_SLA: SlaTracker = { reported: [], window: null };

export function missKey(miss: SlaMissedPayload): string {
  return miss.run ? `${miss.run.flinkJobId}:${miss.objective}` : `window:${miss.window?.start ?? ''}`;
}

/** Folds a recorded miss into the tracker (idempotent). */
export function recordMiss(tracker: SlaTracker, miss: SlaMissedPayload): SlaTracker {
  const key = missKey(miss);
  if (tracker.reported.includes(key)) return tracker;
  return { ...tracker, reported: [...tracker.reported, key].slice(-SLA_KEYS_KEPT) };
}

/** The first HH:MM in `timezone` at or after `from`. */
export function deadlineAfter(from: Date, hhmm: string, timezone: string): Date {
  const [hour, minute] = hhmm.split(':').map(Number);
  const next = nextFireTime(`${minute} ${hour} * * *`, timezone, new Date(from.getTime() - 1));
  if (!next) throw new Error(`FJC_SLA_NO_DEADLINE: no ${hhmm} after ${from.toISOString()} in ${timezone}`);
  return next;
}

export function evaluateSla(state: JobState, now: Date): SlaVerdict {
  const tracker = state.sla ?? EMPTY_SLA;
  const desired = state.desired;
  if (!desired || state.deleted) return { missed: [], tracker, nextAt: null };
  const spec = desired.spec;
  if (spec.job_type === 'batch') {
    const sla = spec.batch_config.sla;
    if (!sla) return { missed: [], tracker, nextAt: null };
    const runs = [state.current, ...state.others].filter((r): r is FlinkRun => r !== null);
    const missed: SlaMissedPayload[] = [];
    let nextAt: number | null = null;
    for (const run of runs) {
      const scheduledAt = new Date(run.scheduledAt ?? run.startedAt);
      const objectives: Array<{ objective: 'deadline' | 'within'; due: Date; target: string }> = [];
      if (sla.deadline !== undefined) objectives.push({ objective: 'deadline', due: deadlineAfter(scheduledAt, sla.deadline, spec.batch_config.timezone), target: `finished by ${sla.deadline} ${spec.batch_config.timezone}` });
      if (sla.within !== undefined) objectives.push({ objective: 'within', due: new Date(scheduledAt.getTime() + sla.within), target: `finished within ${sla.within / 1000} s of ${scheduledAt.toISOString()}` });
      for (const o of objectives) {
        const actual = runOutcome(run, o.due, now);
        if (actual === 'met') continue;
        if (actual === 'pending') {
          nextAt = Math.min(nextAt ?? Infinity, o.due.getTime());
          continue;
        }
        const miss: SlaMissedPayload = {
          objective: o.objective,
          version: run.specVersion,
          run: { runNumber: run.runNumber, flinkJobId: run.flinkJobId, scheduledAt: scheduledAt.toISOString(), dueAt: o.due.toISOString() },
          window: null,
          target: o.target,
          actual,
        };
        if (!tracker.reported.includes(missKey(miss))) missed.push(miss);
      }
    }
    return { missed, tracker, nextAt: nextAt === null ? null : new Date(nextAt).toISOString() };
  }
  const sla = spec.stream_config.sla;
  if (!sla) return { missed: [], tracker: tracker.window ? { ...tracker, window: null } : tracker, nextAt: null };
  return measureWindow(state, tracker, sla, now);
}

/** met, pending (not due yet), or what happened instead. */
function runOutcome(run: FlinkRun, due: Date, now: Date): 'met' | 'pending' | string {
  if (run.state === 'FINISHED') {
    const endedAt = run.endedAt ? Date.parse(run.endedAt) : null;
    return endedAt !== null && endedAt > due.getTime() ? `FINISHED late, at ${new Date(endedAt).toISOString()}` : 'met';
  }
  if (TERMINAL_FLINK_STATES.has(run.state)) return `ended ${run.state}${run.endedAt ? ` at ${run.endedAt}` : ''} without finishing`;
  return now.getTime() >= due.getTime() ? `still ${run.state} at ${due.toISOString()}` : 'pending';
}

function measureWindow(state: JobState, tracker: SlaTracker, sla: { availability: number; window: number }, now: Date): SlaVerdict {
  const t = now.getTime();
  const running = state.current?.state === 'RUNNING' && state.desired?.spec.state === 'running';
  const windowStart = Math.floor(t / sla.window) * sla.window;
  const current = tracker.window;
  const missed: SlaMissedPayload[] = [];
  let window: NonNullable<SlaTracker['window']>;
  if (current === null) {
    // The first look: measuring starts now (no history before FJC looked).
    window = { start: new Date(windowStart).toISOString(), measuredFrom: now.toISOString(), runningMs: 0, lastAt: now.toISOString(), running };
  } else {
    const start = Date.parse(current.start);
    const end = start + sla.window;
    const last = Date.parse(current.lastAt);
    if (t < end) {
      window = { ...current, runningMs: current.runningMs + (current.running ? Math.max(0, t - last) : 0), lastAt: now.toISOString(), running };
    } else {
      // The window closed: what it was RUNNING until its end decides it.
      const runningMs = current.runningMs + (current.running ? Math.max(0, end - last) : 0);
      const measured = end - Math.max(start, current.measuredFrom ? Date.parse(current.measuredFrom) : start);
      const share = measured > 0 ? (100 * runningMs) / measured : 100;
      if (share < sla.availability) {
        const miss: SlaMissedPayload = {
          objective: 'availability',
          version: state.desired?.version ?? 1,
          run: null,
          window: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
          target: `${sla.availability}% RUNNING`,
          actual: `${share.toFixed(2)}% RUNNING`,
        };
        if (!tracker.reported.includes(missKey(miss))) missed.push(miss);
      }
      // The new window counts from its own start when the job kept running through the boundary.
      // The new window counts from its start if the job was RUNNING at the last look (the state
      // holds between looks; an outage of the reconciler in between is not seen).
      window = { start: new Date(windowStart).toISOString(), runningMs: current.running ? t - windowStart : 0, lastAt: now.toISOString(), running };
    }
  }
  return { missed, tracker: { ...tracker, window }, nextAt: new Date(Date.parse(window.start) + sla.window).toISOString() };
}
