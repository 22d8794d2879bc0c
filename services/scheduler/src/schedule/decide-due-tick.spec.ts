// Tick decisions with a moved clock: due times, missed times collapsing to the latest, max_runs,
// starting deadlines.
import { activeSchedule } from '../testing/spec-events';
import { decideDueTick, MAX_SUPERSEDED_PER_DECISION, SUPERSEDE_GRACE_MS, type DueTickDecision } from './decide-due-tick';
import type { Schedule } from './schedule';
import { nextFireTime } from '@fjc/contracts';

const at = (iso: string) => new Date(iso);

/** Every decision until nothing is due at `now`, as the tick pass makes them (duplicates never happen here). */
function drain(start: Schedule, now: Date): { decisions: DueTickDecision[]; end: Schedule } {
  const decisions: DueTickDecision[] = [];
  let s = start;
  for (;;) {
    const d = decideDueTick(s, now);
    if (d.kind === 'NotDue') return { decisions, end: s };
    decisions.push(d);
    s = d.after;
  }
}

function summary(d: DueTickDecision): string {
  if (d.kind === 'Emit') return `emit ${d.tick.scheduledTime} #${d.tick.runNumber}`;
  if (d.kind === 'Skip') return `skip ${d.reason} ${d.count}: ${d.scheduledTime.toISOString()}..${d.lastSkipped.toISOString()}`;
  return 'not due';
}

describe('decideDueTick', () => {
  it.each([
    ['before its time', activeSchedule({ cron: '0 2 * * *', nextFireAt: at('2025-01-10T02:00:00Z') }), '2025-01-10T01:59:59.999Z'],
    ['suspended', { ...activeSchedule({ cron: '0 2 * * *', nextFireAt: null }), state: 'suspended' as const }, '2025-01-10T03:00:00Z'],
    ['exhausted', { ...activeSchedule({ cron: '0 2 * * *', nextFireAt: null }), state: 'exhausted' as const }, '2025-01-10T03:00:00Z'],
    ['deleted', { ...activeSchedule({ cron: '0 2 * * *', nextFireAt: null }), state: 'deleted' as const }, '2025-01-10T03:00:00Z'],
  ])('is not due %s', (_why, schedule, now) => {
    expect(decideDueTick(schedule, at(now))).toEqual({ kind: 'NotDue' });
  });

  it('emits the scheduled time (not now) with the spec version, run number, cron and zone', () => {
    const s = activeSchedule({ cron: '0 2 * * *', timezone: 'Europe/Berlin', nextFireAt: at('2025-01-10T01:00:00Z'), specVersion: 4, runsSoFar: 6 });
    const d = decideDueTick(s, at('2025-01-10T01:00:00.400Z'));
    expect(d).toMatchObject({
      kind: 'Emit',
      tick: { scheduledTime: '2025-01-10T01:00:00.000Z', specVersion: 4, runNumber: 7, cron: '0 2 * * *', timezone: 'Europe/Berlin' },
      after: { state: 'active', runsSoFar: 7, nextFireAt: at('2025-01-11T01:00:00Z') },
      // Already in the log: move on without counting it a second time.
      ifDuplicate: { state: 'active', runsSoFar: 6, nextFireAt: at('2025-01-11T01:00:00Z') },
    });
  });

  it('after an outage runs only the latest missed time, as Kubernetes CronJob does', () => {
    const s = activeSchedule({ cron: '0 * * * *', nextFireAt: at('2025-01-10T01:00:00Z') });
    const { decisions, end } = drain(s, at('2025-01-10T03:30:00Z'));
    expect(decisions.map(summary)).toEqual(['skip superseded 2: 2025-01-10T01:00:00.000Z..2025-01-10T02:00:00.000Z', 'emit 2025-01-10T03:00:00.000Z #1']);
    // Skipped times are not runs.
    expect(end).toMatchObject({ state: 'active', runsSoFar: 1, nextFireAt: at('2025-01-10T04:00:00Z') });
  });

  it('ticks every time when a pass is only seconds late: a time is superseded once the next is a grace period past', () => {
    expect(SUPERSEDE_GRACE_MS).toBe(60_000);
    const s = activeSchedule({ cron: '* * * * *', nextFireAt: at('2025-01-10T01:00:00Z') });
    // 01:01 is exactly the grace past: 01:00 still runs.
    expect(drain(s, at('2025-01-10T01:02:00Z')).decisions.map(summary)).toEqual([
      'emit 2025-01-10T01:00:00.000Z #1',
      'emit 2025-01-10T01:01:00.000Z #2',
      'emit 2025-01-10T01:02:00.000Z #3',
    ]);
    // A millisecond later it is superseded.
    expect(drain(s, at('2025-01-10T01:02:00.001Z')).decisions.map(summary)).toEqual([
      'skip superseded 1: 2025-01-10T01:00:00.000Z..2025-01-10T01:00:00.000Z',
      'emit 2025-01-10T01:01:00.000Z #1',
      'emit 2025-01-10T01:02:00.000Z #2',
    ]);
    // A per-second cron 30 s behind loses nothing.
    const everySecond = activeSchedule({ cron: '* * * * * *', nextFireAt: at('2025-01-10T00:00:01Z') });
    const { decisions } = drain(everySecond, at('2025-01-10T00:00:30Z'));
    expect(decisions.map((d) => d.kind)).toEqual(Array(30).fill('Emit'));
  });

  it('passes over a long run of superseded times in bounded steps, then runs the last minute of a per-second cron', () => {
    const s = activeSchedule({ cron: '* * * * * *', nextFireAt: at('2025-01-10T00:00:00Z') });
    const { decisions, end } = drain(s, at('2025-01-10T01:00:00Z'));
    const skips = decisions.filter((d) => d.kind === 'Skip');
    expect(skips.length).toBeGreaterThan(1);
    expect(skips.every((d) => d.kind === 'Skip' && d.reason === 'superseded' && d.count <= MAX_SUPERSEDED_PER_DECISION)).toBe(true);
    const emitted = decisions.filter((d) => d.kind === 'Emit').map((d) => (d.kind === 'Emit' ? d.tick.scheduledTime : ''));
    // 00:58:59 is the first time whose follower (00:59:00) is not more than the grace past.
    expect(emitted[0]).toBe('2025-01-10T00:58:59.000Z');
    expect(emitted.at(-1)).toBe('2025-01-10T01:00:00.000Z');
    expect(emitted).toHaveLength(62);
    const skipped = skips.reduce((n, d) => n + (d.kind === 'Skip' ? d.count : 0), 0);
    expect(skipped + emitted.length).toBe(3600 + 1); // every time accounted for, once
    expect(end).toMatchObject({ runsSoFar: 62, nextFireAt: at('2025-01-10T01:00:01Z') });
  });

  it.each([
    // [maxRuns, runsSoFar, expected decisions]
    [3, 0, ['emit 2025-01-10T00:00:01.000Z #1', 'emit 2025-01-10T00:00:02.000Z #2', 'emit 2025-01-10T00:00:03.000Z #3']],
    [3, 2, ['emit 2025-01-10T00:00:01.000Z #3']],
    [1, 0, ['emit 2025-01-10T00:00:01.000Z #1']],
  ])('stops after max_runs %i (runs so far %i)', (maxRuns, runsSoFar, expected) => {
    const s = activeSchedule({ cron: '* * * * * *', nextFireAt: at('2025-01-10T00:00:01Z'), maxRuns, runsSoFar });
    const { decisions, end } = drain(s, at('2025-01-10T00:00:10Z'));
    expect(decisions.map(summary)).toEqual(expected);
    expect(end).toMatchObject({ state: 'exhausted', runsSoFar: maxRuns, nextFireAt: null });
  });

  it.each([
    // [late by, decision]
    ['2025-01-10T02:01:00.000Z', 'emit'],
    ['2025-01-10T02:01:00.001Z', 'skip'],
  ])('with a 60 s starting deadline, at %s it is a %s', (now, kind) => {
    const s = activeSchedule({ cron: '0 2 * * *', nextFireAt: at('2025-01-10T02:00:00Z'), startingDeadlineSeconds: 60 });
    const d = decideDueTick(s, at(now));
    expect(d.kind.toLowerCase()).toBe(kind);
    if (d.kind === 'Skip') {
      expect(d.lateMs).toBe(60_001);
      // Skipped times are not runs.
      expect(d.after).toMatchObject({ runsSoFar: 0, nextFireAt: at('2025-01-11T02:00:00Z') });
    }
  });

  it.each([
    // [deadline in s, decisions, runs]
    [900, ['skip superseded 3: 2025-01-10T01:00:00.000Z..2025-01-10T01:20:00.000Z', 'emit 2025-01-10T01:30:00.000Z #1'], 1],
    [240, ['skip superseded 3: 2025-01-10T01:00:00.000Z..2025-01-10T01:20:00.000Z', 'skip starting_deadline 1: 2025-01-10T01:30:00.000Z..2025-01-10T01:30:00.000Z'], 0],
  ])('after an outage, with a %i s deadline, the latest missed time runs only within it', (deadline, expected, runs) => {
    const s = activeSchedule({ cron: '*/10 * * * *', nextFireAt: at('2025-01-10T01:00:00Z'), startingDeadlineSeconds: deadline });
    const { decisions, end } = drain(s, at('2025-01-10T01:35:00Z'));
    expect(decisions.map(summary)).toEqual(expected);
    expect(end).toMatchObject({ runsSoFar: runs, nextFireAt: at('2025-01-10T01:40:00Z') });
  });

  it('follows the zone across daylight saving time: a Berlin 02:00 job for a week around spring forward', () => {
    let s = activeSchedule({ cron: '0 2 * * *', timezone: 'Europe/Berlin', nextFireAt: at('2025-03-28T01:00:00Z') });
    const times: string[] = [];
    // Move the clock an hour at a time, as a running scheduler would see it.
    for (let now = at('2025-03-28T00:00:00Z'); now < at('2025-04-01T12:00:00Z'); now = new Date(now.getTime() + 3_600_000)) {
      const { decisions, end } = drain(s, now);
      times.push(...decisions.map(summary));
      s = end;
    }
    expect(times).toEqual([
      'emit 2025-03-28T01:00:00.000Z #1', // 02:00 CET
      'emit 2025-03-29T01:00:00.000Z #2', // 02:00 CET
      'emit 2025-03-30T01:00:00.000Z #3', // 02:00 does not exist: 03:00 CEST
      'emit 2025-03-31T00:00:00.000Z #4', // 02:00 CEST
      'emit 2025-04-01T00:00:00.000Z #5',
    ]);
  });
});

describe('decideDueTick with a simulated clock across Berlin daylight-saving changes', () => {
  /** Moves the clock a minute at a time from `from` to `to`, running the tick pass at each step:
   *  the scheduled times (UTC) that emit a tick. */
  function firedBetween(cron: string, timezone: string, from: string, to: string): string[] {
    let s = activeSchedule({ cron, timezone, nextFireAt: nextFireTime(cron, timezone, at(from)) });
    const fired: string[] = [];
    for (let now = at(from).getTime(); now <= at(to).getTime(); now += 60_000) {
      const { decisions, end } = drain(s, new Date(now));
      for (const d of decisions) if (d.kind === 'Emit') fired.push(d.tick.scheduledTime);
      s = end;
    }
    return fired;
  }

  it('spring forward (last Sunday of March): 02:30 does not exist that night, the run happens once, an hour on at 03:30 CEST', () => {
    // 2026-03-29: 02:00 CET becomes 03:00 CEST (01:00Z).
    expect(firedBetween('30 2 * * *', 'Europe/Berlin', '2026-03-27T12:00:00Z', '2026-03-30T12:00:00Z')).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:30:00.000Z', // in the gap: moved on by the hour skipped, 03:30 CEST
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('fall back (last Sunday of October): the repeated 02:30 runs once (the CET one), and the hour shifts in UTC', () => {
    // 2026-10-25: 03:00 CEST becomes 02:00 CET (01:00Z).
    expect(firedBetween('30 2 * * *', 'Europe/Berlin', '2026-10-23T12:00:00Z', '2026-10-26T12:00:00Z')).toEqual([
      '2026-10-24T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T01:30:00.000Z', // 02:30 happens twice; only the second, CET one fires
      '2026-10-26T01:30:00.000Z', // 02:30 CET
    ]);
  });

  it('an hourly run in Berlin has 23 runs on the spring-forward day and 24 on the fall-back day (the repeated hour once), as a UTC one has', () => {
    const count = (tz: string, from: string, to: string) => firedBetween('0 * * * *', tz, from, to).length;
    // Whole Berlin days in UTC: 2026-03-29 00:00 CET = 03-28T23:00Z to 03-29T22:00Z (23 h); 2026-10-25 00:00 CEST = 10-24T22:00Z to 10-25T23:00Z (25 h).
    expect(count('Europe/Berlin', '2026-03-28T22:59:00Z', '2026-03-29T21:59:00Z')).toBe(23);
    expect(count('Europe/Berlin', '2026-10-24T21:59:00Z', '2026-10-25T22:59:00Z')).toBe(24);
    expect(count('UTC', '2026-03-28T23:59:00Z', '2026-03-29T23:59:00Z')).toBe(24);
  });
});
