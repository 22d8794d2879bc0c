// A job's cron schedule as the scheduler keeps it: the projection of the job's spec stream
// plus the scheduler's own progress (runs counted, the next time to fire).
export const SCHEDULE_STATES = ['active', 'suspended', 'unscheduled', 'exhausted', 'deleted'] as const;

/**
 * active       ticks are due at nextFireAt
 * suspended    the spec's desired state is suspended: no ticks, none caught up on resume
 * unscheduled  the current spec version has no cron (or is not a batch job); runs stay counted
 * exhausted    max_runs reached; a version with a higher max_runs makes it active again
 * deleted      the job was deleted; a later version starts counting runs from zero
 */
export type ScheduleState = (typeof SCHEDULE_STATES)[number];

export interface Schedule {
  readonly jobId: string;
  /** The latest spec version applied to this schedule. */
  readonly specVersion: number;
  /** The spec event that made that version: the causation of every tick it produces. */
  readonly sourceEventId: string;
  readonly state: ScheduleState;
  /** Set while the current version has a cron schedule (and kept after it). */
  readonly cron: string | null;
  /** IANA time zone the cron is read in. */
  readonly timezone: string | null;
  readonly maxRuns: number | null;
  /** Ticks emitted for this job, across spec versions (the next tick's runNumber is this + 1). */
  readonly runsSoFar: number;
  readonly startingDeadlineSeconds: number | null;
  /** Set exactly when the state is active. */
  readonly nextFireAt: Date | null;
}
