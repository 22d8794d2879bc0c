// Service levels, table by table: when a batch run or a stream window misses, that it is
// recorded exactly once, and when the reconciler must look again.
import { deadlineAfter, EMPTY_SLA, evaluateSla, recordMiss } from './sla';
import { initialJobState, type FlinkRun, type JobState } from './job-state';
import { JOB, spec, T0 } from '../testing/fixtures';

const at = (ms: number) => new Date(T0 + ms);
const iso = (ms: number) => at(ms).toISOString();
const MIN = 60_000;

function batchState(sla: Record<string, unknown>, run: Partial<FlinkRun> | null): JobState {
  const s = spec({ job_type: 'batch', deployment: { parallelism: 1, upgrade_mode: 'stateless' }, batch_config: { cron: '0 * * * *', timezone: 'Europe/Berlin', sla } });
  return {
    ...initialJobState(JOB),
    desired: { version: 2, spec: s, eventId: 'e', correlationId: 'c', actor: { kind: 'user', id: 'alice' } },
    current: run ? { flinkJobId: 'f'.repeat(32), specVersion: 2, state: 'RUNNING', startedAt: iso(5_000), runNumber: 3, scheduledAt: iso(0), ...run } : null,
  };
}

function streamState(sla: Record<string, unknown>, running: boolean, tracker: JobState['sla'] = null): JobState {
  return {
    ...initialJobState(JOB),
    desired: { version: 1, spec: spec({ stream_config: { sla } }), eventId: 'e', correlationId: 'c', actor: { kind: 'user', id: 'alice' } },
    current: { flinkJobId: 'a'.repeat(32), specVersion: 1, state: running ? 'RUNNING' : 'RESTARTING', startedAt: iso(0), runNumber: 0 },
    sla: tracker,
  };
}

describe('batch service levels', () => {
  it.each([
    ['running before it is due: waits until then', { within: '10m' }, { state: 'RUNNING' }, 5 * MIN, [], iso(10 * MIN)],
    ['finished in time: met', { within: '10m' }, { state: 'FINISHED', endedAt: iso(9 * MIN) }, 20 * MIN, [], null],
    ['still running when due: missed', { within: '10m' }, { state: 'RUNNING' }, 10 * MIN, ['within: still RUNNING at 2026-11-27T10:10:00.000Z'], null],
    ['finished late: missed', { within: '10m' }, { state: 'FINISHED', endedAt: iso(11 * MIN) }, 12 * MIN, ['within: FINISHED late, at 2026-11-27T10:11:00.000Z'], null],
    ['failed: missed at once', { within: '10m' }, { state: 'FAILED', endedAt: iso(MIN) }, 2 * MIN, ['within: ended FAILED at 2026-11-27T10:01:00.000Z without finishing'], null],
    // 10:00 UTC is 11:00 in Berlin: the 11:30 deadline is half an hour after the scheduled time.
    ['deadline by the clock of its zone', { deadline: '11:30' }, { state: 'RUNNING' }, 31 * MIN, ['deadline: still RUNNING at 2026-11-27T10:30:00.000Z'], null],
  ] as const)('%s', (_name, sla, run, now, expected, nextAt) => {
    const verdict = evaluateSla(batchState(sla, run as Partial<FlinkRun>), at(now));
    expect(verdict.missed.map((m) => `${m.objective}: ${m.actual}`)).toEqual(expected);
    expect(verdict.nextAt).toBe(nextAt);
  });

  it('records a run and objective once, with its run and due time', () => {
    const state = batchState({ within: '10m', deadline: '11:05' }, { state: 'RUNNING' });
    const first = evaluateSla(state, at(11 * MIN));
    expect(first.missed).toEqual([
      expect.objectContaining({ objective: 'deadline', version: 2, window: null, target: 'finished by 11:05 Europe/Berlin', run: { runNumber: 3, flinkJobId: 'f'.repeat(32), scheduledAt: iso(0), dueAt: iso(5 * MIN) } }),
      expect.objectContaining({ objective: 'within', run: expect.objectContaining({ dueAt: iso(10 * MIN) }) }),
    ]);
    const folded = first.missed.reduce(recordMiss, EMPTY_SLA);
    expect(evaluateSla({ ...state, sla: folded }, at(20 * MIN)).missed).toEqual([]);
    expect(first.missed.reduce(recordMiss, folded)).toBe(folded);
  });

  it('counts an unscheduled run from its start', () => {
    const verdict = evaluateSla(batchState({ within: '1m' }, { scheduledAt: undefined, runNumber: 0 }), at(65_000));
    expect(verdict.missed[0].run).toMatchObject({ scheduledAt: iso(5_000), dueAt: iso(65_000) });
  });

  it('finds the deadline in the zone, across midnight', () => {
    expect(deadlineAfter(new Date('2026-11-27T23:30:00Z'), '06:00', 'UTC').toISOString()).toBe('2026-11-28T06:00:00.000Z');
    expect(deadlineAfter(new Date('2026-11-27T05:00:00Z'), '06:00', 'America/New_York').toISOString()).toBe('2026-11-27T11:00:00.000Z');
  });
});

describe('stream availability', () => {
  const window = '10m';
  const start = Math.floor(T0 / (10 * MIN)) * 10 * MIN - T0; // the window T0 falls in, relative to T0

  it('starts measuring at the first look and asks to look again at the window end', () => {
    const verdict = evaluateSla(streamState({ availability: 99, window }, true), at(0));
    expect(verdict.tracker.window).toEqual({ start: iso(start), measuredFrom: iso(0), runningMs: 0, lastAt: iso(0), running: true });
    expect(verdict.nextAt).toBe(iso(start + 10 * MIN));
  });

  it('misses a window below its share once, and keeps a window above it quiet', () => {
    // RUNNING for the first 6 of 10 minutes, then restarting: 60 %.
    const tracker = { reported: [], window: { start: iso(start), runningMs: 0, lastAt: iso(start), running: true } };
    const mid = evaluateSla(streamState({ availability: 90, window }, false, tracker), at(start + 6 * MIN));
    expect(mid.tracker.window).toMatchObject({ runningMs: 6 * MIN, running: false });
    const end = evaluateSla(streamState({ availability: 90, window }, false, mid.tracker), at(start + 10 * MIN + 1));
    expect(end.missed).toEqual([{ objective: 'availability', version: 1, run: null, window: { start: iso(start), end: iso(start + 10 * MIN) }, target: '90% RUNNING', actual: '60.00% RUNNING' }]);
    expect(end.tracker.window).toMatchObject({ start: iso(start + 10 * MIN), runningMs: 0 });
    const again = evaluateSla(streamState({ availability: 90, window }, false, { ...mid.tracker, reported: ['window:' + iso(start)] }), at(start + 10 * MIN + 1));
    expect(again.missed).toEqual([]);
    const good = evaluateSla(streamState({ availability: 50, window }, false, mid.tracker), at(start + 10 * MIN + 1));
    expect(good.missed).toEqual([]);
  });

  it('judges a window FJC began in on the part it measured', () => {
    // First looked at 8 minutes in, RUNNING since: 2 of 2 measured minutes, not 2 of 10.
    const tracker = { reported: [], window: { start: iso(start), measuredFrom: iso(start + 8 * MIN), runningMs: 0, lastAt: iso(start + 8 * MIN), running: true } };
    expect(evaluateSla(streamState({ availability: 99, window }, true, tracker), at(start + 10 * MIN + 1)).missed).toEqual([]);
  });

  it('does nothing for a job without sla', () => {
    expect(evaluateSla(streamState({}, true, null), at(0)).missed).toEqual([]);
  });
});
