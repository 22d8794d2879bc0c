// What to do with a schedule whose time has come: pure, given the schedule and "now". One
// call handles one scheduled time; callers repeat it to catch up on several missed times.
import type { PayloadOf } from '@fjc/contracts';
import { nextFireTime } from './cron-times';
import type { Schedule } from './schedule';

export type ScheduleTickPayload = PayloadOf<'ScheduleTick'>;

export type DueTickDecision =
  | { readonly kind: 'NotDue' }
  /** Later than starting_deadline_seconds: this time is passed over and never ticks. */
  | { readonly kind: 'Skip'; readonly scheduledTime: Date; readonly lateMs: number; readonly after: Schedule }
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
  const moveOn = (s: Schedule): Schedule => {
    const following = nextFireTime(cron, timezone, scheduledTime);
    return following === null ? { ...s, state: 'unscheduled', nextFireAt: null } : { ...s, nextFireAt: following };
  };

  const lateMs = now.getTime() - scheduledTime.getTime();
  if (schedule.startingDeadlineSeconds !== null && lateMs > schedule.startingDeadlineSeconds * 1000) {
    return { kind: 'Skip', scheduledTime, lateMs, after: moveOn(schedule) };
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
