// What to do with a schedule whose time has come: pure, given the schedule and "now". One
// call handles one scheduled time; callers repeat it until nothing is due.
// Missed times collapse to the latest, as Kubernetes CronJob does: a time is superseded, and
// skipped, when the schedule's following time is also past by more than SUPERSEDE_GRACE_MS.
// So after an outage an hourly job runs once, not once per missed hour; a pass that is merely a
// few seconds late (a busy machine, a per-second cron) still ticks every time.
import { nextFireTime, type PayloadOf } from '@fjc/contracts';
import type { Schedule } from './schedule';

export type ScheduleTickPayload = PayloadOf<'ScheduleTick'>;

/** How far past its following time a scheduled time must be to count as superseded. */
export const SUPERSEDE_GRACE_MS = 60_000;
/** Superseded times passed over in one decision at most: stepping a pattern in a time zone costs
 *  about 0.25 ms, and a per-second cron after a long outage has tens of thousands. */
export const MAX_SUPERSEDED_PER_DECISION = 2_000;

export type SkipReason = 'superseded' | 'starting_deadline';

export type DueTickDecision =
  | { readonly kind: 'NotDue' }
  /** Superseded by later missed times, or later than starting_deadline_seconds: passed over, never
   *  ticked. `count` times from `scheduledTime` up to `lastSkipped`. */
  | {
      readonly kind: 'Skip';
      readonly reason: SkipReason;
      readonly scheduledTime: Date;
      readonly lastSkipped: Date;
      readonly count: number;
      readonly lateMs: number;
      readonly after: Schedule;
    }
  | {
      readonly kind: 'Emit';
      readonly tick: ScheduleTickPayload;
      /** The schedule once the tick is appended: one more run counted. */
      readonly after: Schedule;
      /** The schedule when the tick was already in the log: moved on, nothing counted twice. */
      readonly ifDuplicate: Schedule;
    };

export function decideDueTick(schedule: Schedule, now: Date): DueTickDecision {
  const { state, nextFireAt, cron, timezone } = schedule;
  if (state !== 'active' || nextFireAt === null || cron === null || timezone === null || nextFireAt > now) return { kind: 'NotDue' };

  const scheduledTime = nextFireAt;
  const following = nextFireTime(cron, timezone, scheduledTime);
  const moveOn = (s: Schedule): Schedule => (following === null ? { ...s, state: 'unscheduled', nextFireAt: null } : { ...s, nextFireAt: following });

  const lateMs = now.getTime() - scheduledTime.getTime();
  const superseded = (next: Date | null): next is Date => next !== null && now.getTime() - next.getTime() > SUPERSEDE_GRACE_MS;
  if (superseded(following)) {
    // Times t0 < t1 < t2...: t(i) is superseded while t(i+1) is past by more than the grace.
    // Walk to the first time that is not: it is the one that may still run.
    let lastSkipped = scheduledTime;
    let next: Date = following;
    let count = 1;
    for (let after = nextFireTime(cron, timezone, next); superseded(after) && count < MAX_SUPERSEDED_PER_DECISION; after = nextFireTime(cron, timezone, next)) {
      lastSkipped = next;
      next = after;
      count++;
    }
    return { kind: 'Skip', reason: 'superseded', scheduledTime, lastSkipped, count, lateMs, after: { ...schedule, nextFireAt: next } };
  }
  if (schedule.startingDeadlineSeconds !== null && lateMs > schedule.startingDeadlineSeconds * 1000) {
    return { kind: 'Skip', reason: 'starting_deadline', scheduledTime, lastSkipped: scheduledTime, count: 1, lateMs, after: moveOn(schedule) };
  }

  const runNumber = schedule.runsSoFar + 1;
  const counted: Schedule = { ...schedule, runsSoFar: runNumber };
  const after: Schedule =
    schedule.maxRuns !== null && runNumber >= schedule.maxRuns ? { ...counted, state: 'exhausted', nextFireAt: null } : moveOn(counted);
  return {
    kind: 'Emit',
    tick: { scheduledTime: scheduledTime.toISOString(), specVersion: schedule.specVersion, runNumber, cron, timezone },
    after,
    ifDuplicate: moveOn(schedule),
  };
}
