// The schedule after each spec event: given the schedule so far, when an event arrives, then
// the saved schedule (or the reason nothing changes).
import { activeSchedule, batchSpec, deleteEvent, savepointEvent, streamSpec, versionEvent } from '../testing/spec-events';
import { scheduleAfterEvent, type ScheduleChange } from './schedule-after-event';
import type { Schedule } from './schedule';

const NOW = new Date('2025-03-01T10:00:00.300Z');
const NEXT_MINUTE = new Date('2025-03-01T10:01:00.000Z');
const cronSpec = (batch: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  batchSpec({ cron: '* * * * *', ...batch }, extra);

function saved(change: ScheduleChange): Schedule {
  if (change.kind !== 'Save') throw new Error(`expected a saved schedule, got: ${change.reason}`);
  return change.schedule;
}

describe('scheduleAfterEvent', () => {
  describe('a job without a schedule', () => {
    it('gets an active schedule from a batch spec with a cron, the next time counted from now', () => {
      const event = versionEvent('SpecUpdated', 1, cronSpec({ timezone: 'Europe/Berlin', max_runs: 5, starting_deadline_seconds: 30 }));
      expect(saved(scheduleAfterEvent(null, event, NOW))).toEqual({
        jobId: 'nightly-report',
        specVersion: 1,
        sourceEventId: event.id,
        state: 'active',
        cron: '* * * * *',
        timezone: 'Europe/Berlin',
        maxRuns: 5,
        runsSoFar: 0,
        startingDeadlineSeconds: 30,
        nextFireAt: NEXT_MINUTE,
      });
    });

    it.each([
      ['a stream spec', versionEvent('SpecUpdated', 1, streamSpec())],
      ['a batch spec without cron (runs once per version)', versionEvent('SpecUpdated', 1, batchSpec({}))],
      ['a delete', deleteEvent(1)],
      ['a savepoint request', savepointEvent()],
    ])('gets none from %s', (_why, event) => {
      expect(scheduleAfterEvent(null, event, NOW).kind).toBe('Ignore');
    });

    it('starts suspended from a spec whose desired state is suspended', () => {
      const s = saved(scheduleAfterEvent(null, versionEvent('SpecUpdated', 1, cronSpec({}, { state: 'suspended' })), NOW));
      expect(s).toMatchObject({ state: 'suspended', nextFireAt: null });
    });
  });

  describe('an active schedule', () => {
    const current = activeSchedule({ cron: '* * * * *', nextFireAt: new Date('2025-03-01T09:59:00Z'), specVersion: 2, runsSoFar: 4, maxRuns: 10 });

    it('keeps its next time and runs when a new version keeps the cron and zone (a due tick is not lost)', () => {
      const event = versionEvent('SpecUpdated', 3, cronSpec({ max_runs: 10 }, { args: ['--mode', 'batch'] }));
      expect(saved(scheduleAfterEvent(current, event, NOW))).toMatchObject({
        specVersion: 3,
        sourceEventId: event.id,
        state: 'active',
        runsSoFar: 4,
        nextFireAt: new Date('2025-03-01T09:59:00Z'),
      });
    });

    it.each([
      ['a new cron', cronSpec({ cron: '0 * * * *', max_runs: 10 }), new Date('2025-03-01T11:00:00Z')],
      ['a new time zone', cronSpec({ timezone: 'Asia/Kolkata', max_runs: 10 }), NEXT_MINUTE],
    ])('counts its next time from now after %s, keeping the runs', (_why, spec, next) => {
      expect(saved(scheduleAfterEvent(current, versionEvent('SpecUpdated', 3, spec), NOW))).toMatchObject({ state: 'active', runsSoFar: 4, nextFireAt: next });
    });

    it('is suspended by JobSuspendRequested: no next time, runs kept', () => {
      const event = versionEvent('JobSuspendRequested', 3, cronSpec({ max_runs: 10 }, { state: 'suspended' }));
      expect(saved(scheduleAfterEvent(current, event, NOW))).toMatchObject({ specVersion: 3, state: 'suspended', runsSoFar: 4, nextFireAt: null });
    });

    it('becomes unscheduled when a version drops the cron, keeping runs and the last cron', () => {
      const event = versionEvent('SpecUpdated', 3, batchSpec({ max_runs: 10 }));
      expect(saved(scheduleAfterEvent(current, event, NOW))).toMatchObject({ specVersion: 3, state: 'unscheduled', runsSoFar: 4, nextFireAt: null, cron: '* * * * *' });
    });

    it('becomes unscheduled when the job turns into a stream job', () => {
      expect(saved(scheduleAfterEvent(current, versionEvent('SpecUpdated', 3, streamSpec()), NOW))).toMatchObject({ state: 'unscheduled', nextFireAt: null });
    });

    it('is exhausted by a version whose max_runs it has already reached', () => {
      const event = versionEvent('SpecUpdated', 3, cronSpec({ max_runs: 4 }));
      expect(saved(scheduleAfterEvent(current, event, NOW))).toMatchObject({ state: 'exhausted', runsSoFar: 4, maxRuns: 4, nextFireAt: null });
    });

    it('follows a rollback to the content of an older version', () => {
      const event = versionEvent('JobRolledBack', 3, cronSpec({ cron: '0 12 * * *' }));
      expect(saved(scheduleAfterEvent(current, event, NOW))).toMatchObject({
        specVersion: 3,
        sourceEventId: event.id,
        cron: '0 12 * * *',
        maxRuns: null,
        nextFireAt: new Date('2025-03-01T12:00:00Z'),
      });
    });

    it('is deleted by JobDeleteRequested, and a second delete changes nothing', () => {
      const deleted = saved(scheduleAfterEvent(current, deleteEvent(2), NOW));
      expect(deleted).toMatchObject({ state: 'deleted', nextFireAt: null, runsSoFar: 4 });
      expect(scheduleAfterEvent(deleted, deleteEvent(2), NOW).kind).toBe('Ignore');
    });

    it.each([
      ['the same version', 2],
      ['an older version', 1],
    ])('ignores %s arriving again', (_why, version) => {
      expect(scheduleAfterEvent(current, versionEvent('SpecUpdated', version, cronSpec({ cron: '0 * * * *' })), NOW)).toMatchObject({ kind: 'Ignore' });
    });
  });

  describe('transitions out of inactive states', () => {
    const base = activeSchedule({ cron: '* * * * *', nextFireAt: null, specVersion: 3, runsSoFar: 2, maxRuns: 3 });

    it('resume: a suspended schedule is active again from now, times during the suspension are not caught up', () => {
      const event = versionEvent('JobResumeRequested', 4, cronSpec({ max_runs: 3 }));
      expect(saved(scheduleAfterEvent({ ...base, state: 'suspended' }, event, NOW))).toMatchObject({ state: 'active', runsSoFar: 2, nextFireAt: NEXT_MINUTE });
    });

    it('a higher max_runs makes an exhausted schedule active again', () => {
      const exhausted: Schedule = { ...base, runsSoFar: 3, state: 'exhausted' };
      expect(saved(scheduleAfterEvent(exhausted, versionEvent('SpecUpdated', 4, cronSpec({ max_runs: 5 })), NOW))).toMatchObject({
        state: 'active',
        runsSoFar: 3,
        nextFireAt: NEXT_MINUTE,
      });
    });

    it('an unscheduled job that gets a cron again keeps counting its runs', () => {
      const unscheduled: Schedule = { ...base, state: 'unscheduled' };
      expect(saved(scheduleAfterEvent(unscheduled, versionEvent('SpecUpdated', 4, cronSpec({ max_runs: 3 })), NOW))).toMatchObject({
        state: 'active',
        runsSoFar: 2,
      });
    });

    it('a deleted job applied again is a new job: its runs count from zero', () => {
      const deleted: Schedule = { ...base, runsSoFar: 3, state: 'deleted' };
      expect(saved(scheduleAfterEvent(deleted, versionEvent('SpecUpdated', 5, cronSpec({ max_runs: 3 })), NOW))).toMatchObject({
        state: 'active',
        runsSoFar: 0,
        nextFireAt: NEXT_MINUTE,
      });
    });
  });
});
