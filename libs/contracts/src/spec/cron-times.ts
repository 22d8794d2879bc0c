// When a cron schedule fires next, read in an IANA time zone: the one place FJC steps a cron
// pattern (the scheduler's job schedules, pipeline schedules, SLA deadlines). Croner follows the zone's
// daylight-saving rules: a wall-clock time that does not exist (spring forward) fires at the
// first time after the gap, and a repeated one (fall back) fires once.
import { Cron } from 'croner';

// Parsing a pattern costs far more than stepping it; passing over a long outage steps one
// pattern thousands of times. Patterns are few (one per scheduled job), so keep the parsed ones.
const parsed = new Map<string, Cron>();
const MAX_PARSED = 1_000;

function cronOf(cron: string, timezone: string): Cron {
  const key = `${timezone} ${cron}`;
  let c = parsed.get(key);
  if (c === undefined) {
    if (parsed.size >= MAX_PARSED) parsed.clear();
    // No callback and paused: croner only computes dates and starts no timer.
    c = new Cron(cron, { timezone, paused: true });
    parsed.set(key, c);
  }
  return c;
}

/** The first time strictly after `after` (whole seconds) the schedule names, or null if it never fires again. */
export function nextFireTime(cron: string, timezone: string, after: Date): Date | null {
  return cronOf(cron, timezone).nextRun(after);
}
