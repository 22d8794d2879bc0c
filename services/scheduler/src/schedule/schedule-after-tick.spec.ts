import { decideDueTick } from './decide-due-tick';
import type { Schedule } from './schedule';
import { scheduleAfterTick } from './schedule-after-tick';

const active: Schedule = {
  jobId: 'nightly',
  specVersion: 2,
  sourceEventId: '00000000-0000-4000-8000-000000000001',
  state: 'active',
  cron: '*/5 * * * *',
  timezone: 'Europe/Berlin',
  maxRuns: 3,
  runsSoFar: 0,
  startingDeadlineSeconds: 60,
  nextFireAt: new Date('2026-11-27T10:00:00Z'),
};
const tick = (scheduledTime: string, runNumber: number) => ({ scheduledTime, runNumber, specVersion: 2, cron: '*/5 * * * *', timezone: 'Europe/Berlin' });

describe('scheduleAfterTick (rebuilding a schedule from its ticks)', () => {
  it('makes the same move as the tick loop did when it emitted the tick', () => {
    const emitted = decideDueTick(active, new Date('2026-11-27T10:00:10Z'));
    if (emitted.kind !== 'Emit') throw new Error('expected a tick');
    expect(scheduleAfterTick(active, emitted.tick)).toEqual(emitted.after);
    expect(emitted.after).toMatchObject({ runsSoFar: 1, nextFireAt: new Date('2026-11-27T10:05:00Z'), startingDeadlineSeconds: 60 });
  });

  it('catches up over skipped times: the next time follows the tick, not the schedule', () => {
    const after = scheduleAfterTick(active, tick('2026-11-27T10:20:00Z', 1));
    expect(after).toMatchObject({ state: 'active', runsSoFar: 1, nextFireAt: new Date('2026-11-27T10:25:00Z') });
  });

  it('exhausts the schedule at max_runs', () => {
    expect(scheduleAfterTick({ ...active, runsSoFar: 2 }, tick('2026-11-27T10:00:00Z', 3))).toMatchObject({ state: 'exhausted', runsSoFar: 3, nextFireAt: null });
  });

  it('counts a tick written before a suspend was read, and stays suspended', () => {
    const suspended: Schedule = { ...active, state: 'suspended', nextFireAt: null };
    expect(scheduleAfterTick(suspended, tick('2026-11-27T10:00:00Z', 1))).toEqual({ ...suspended, runsSoFar: 1 });
  });

  it('never lowers the count, and ignores a job without a schedule', () => {
    expect(scheduleAfterTick({ ...active, state: 'deleted', nextFireAt: null, runsSoFar: 2 }, tick('2026-11-27T10:00:00Z', 1))?.runsSoFar).toBe(2);
    expect(scheduleAfterTick(null, tick('2026-11-27T10:00:00Z', 1))).toBeNull();
  });
});
