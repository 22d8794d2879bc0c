// When cron schedules fire, in their time zone, across daylight-saving changes.
import { nextFireTime } from './cron-times';

describe('nextFireTime', () => {
  it.each([
    // [cron, timezone, after, next, why]
    ['0 2 * * *', 'UTC', '2025-01-10T00:00:00.000Z', '2025-01-10T02:00:00.000Z', 'UTC wall clock'],
    ['0 2 * * *', 'Europe/Berlin', '2025-01-10T00:00:00.000Z', '2025-01-10T01:00:00.000Z', 'Berlin winter: UTC+1'],
    ['0 2 * * *', 'Europe/Berlin', '2025-07-10T00:00:00.000Z', '2025-07-11T00:00:00.000Z', 'strictly after: not the time itself'],
    ['0 2 * * *', 'Europe/Berlin', '2025-07-09T23:59:59.999Z', '2025-07-10T00:00:00.000Z', 'Berlin summer: UTC+2'],
    ['0 2 * * *', 'Europe/Berlin', '2025-03-29T12:00:00.000Z', '2025-03-30T01:00:00.000Z', 'spring forward: 02:00 does not exist, fires at 03:00 CEST'],
    ['30 2 * * *', 'Europe/Berlin', '2025-10-25T12:00:00.000Z', '2025-10-26T01:30:00.000Z', 'fall back: 02:30 happens twice, fires once'],
    ['30 2 * * *', 'Europe/Berlin', '2025-10-26T01:30:00.000Z', '2025-10-27T01:30:00.000Z', 'and not again for the repeated hour'],
    ['@daily', 'Asia/Kolkata', '2025-01-10T00:00:00.000Z', '2025-01-10T18:30:00.000Z', 'half-hour offset'],
    ['*/15 * * * *', 'America/New_York', '2025-01-10T00:07:00.000Z', '2025-01-10T00:15:00.000Z', 'minute steps'],
    ['* * * * * *', 'UTC', '2025-01-01T00:00:00.300Z', '2025-01-01T00:00:01.000Z', 'seconds field, milliseconds dropped'],
    ['* * * * * *', 'UTC', '2025-01-01T00:00:01.000Z', '2025-01-01T00:00:02.000Z', 'seconds field, strictly after'],
  ])('%s in %s after %s is %s (%s)', (cron, timezone, after, next) => {
    expect(nextFireTime(cron, timezone, new Date(after))?.toISOString()).toBe(next);
  });

  it('fires every wall-clock hour of a fall-back night in Berlin exactly once', () => {
    const times: string[] = [];
    let at = new Date('2025-10-25T22:30:00.000Z'); // 00:30 CEST
    for (let i = 0; i < 4; i++) {
      at = nextFireTime('0 * * * *', 'Europe/Berlin', at) as Date;
      times.push(at.toISOString());
    }
    // 01:00 CEST, 02:00 CET (the repeated 02:00 fires once), 03:00 CET, 04:00 CET
    expect(times).toEqual(['2025-10-25T23:00:00.000Z', '2025-10-26T01:00:00.000Z', '2025-10-26T02:00:00.000Z', '2025-10-26T03:00:00.000Z']);
  });
});
