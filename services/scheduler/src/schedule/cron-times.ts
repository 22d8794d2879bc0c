// When a cron schedule fires next, read in an IANA time zone. Croner follows the zone's
// daylight-saving rules: a wall-clock time that does not exist (spring forward) fires at the
// first time after the gap, and a repeated one (fall back) fires once.
import { Cron } from 'croner';

/** The first time strictly after `after` (whole seconds) the schedule names, or null if it never fires again. */
export function nextFireTime(cron: string, timezone: string, after: Date): Date | null {
  // No callback and paused: croner only computes dates and starts no timer.
  return new Cron(cron, { timezone, paused: true }).nextRun(after);
}
