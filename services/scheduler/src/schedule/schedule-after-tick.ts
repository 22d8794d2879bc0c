// The schedule after one of the scheduler's own ticks, read back from the log (rebuild): the
// same move the tick loop made when it appended the tick (decideDueTick's "after"), so a
// schedule rebuilt from spec events and ticks equals the one the loop kept. A tick that the log
// holds after a suspend or delete (appended before the scheduler read that event) still counts.
import { decideDueTick, type ScheduleTickPayload } from './decide-due-tick';
import type { Schedule } from './schedule';

export function scheduleAfterTick(current: Schedule | null, tick: ScheduleTickPayload): Schedule | null {
  if (current === null) return null;
  const runsSoFar = Math.max(current.runsSoFar, tick.runNumber);
  if (current.state !== 'active') return { ...current, runsSoFar };
  const at = new Date(tick.scheduledTime);
  const decision = decideDueTick({ ...current, nextFireAt: at, runsSoFar: tick.runNumber - 1, startingDeadlineSeconds: null }, at);
  if (decision.kind !== 'Emit') return { ...current, runsSoFar };
  return { ...decision.after, runsSoFar, startingDeadlineSeconds: current.startingDeadlineSeconds };
}
