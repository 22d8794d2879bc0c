// The schedule after a spec event: pure, so every rule of "what does this version mean for
// the schedule" is a table test. Versions carry the whole spec, so the latest one alone
// decides; runs counted so far survive new versions (max_runs counts across versions).
import type { EventOf, FjcEvent } from '@fjc/contracts';
import { nextFireTime } from '@fjc/contracts';
import type { Schedule } from './schedule';

export type ScheduleChange =
  | { readonly kind: 'Save'; readonly schedule: Schedule }
  | { readonly kind: 'Ignore'; readonly reason: string };

type SpecVersionEvent = EventOf<'SpecUpdated' | 'JobSuspendRequested' | 'JobResumeRequested' | 'JobRolledBack'>;

export function scheduleAfterEvent(current: Schedule | null, event: FjcEvent, now: Date): ScheduleChange {
  switch (event.type) {
    case 'SpecUpdated':
    case 'JobSuspendRequested':
    case 'JobResumeRequested':
    case 'JobRolledBack':
      return afterSpecVersion(current, event, now);
    case 'JobDeleteRequested':
      if (current === null) return ignore('the job has no schedule');
      if (current.state === 'deleted') return ignore('the schedule is already deleted');
      return save({ ...current, specVersion: Math.max(current.specVersion, event.payload.lastVersion), state: 'deleted', nextFireAt: null });
    default:
      return ignore(`${event.type} does not change schedules`);
  }
}

function afterSpecVersion(current: Schedule | null, event: SpecVersionEvent, now: Date): ScheduleChange {
  const { version, spec } = event.payload;
  // Redelivery after a rebuild, or a replayed older event: the newer version already decided.
  if (current !== null && version <= current.specVersion) return ignore(`version ${version} is not newer than ${current.specVersion}`);

  // A job deleted and then applied again is a new job: its runs count from zero.
  const runsSoFar = current === null || current.state === 'deleted' ? 0 : current.runsSoFar;
  const batch = spec.job_type === 'batch' ? spec.batch_config : null;
  const cron = batch?.cron;
  if (batch === null || cron === undefined) {
    if (current === null) return ignore('the spec has no cron schedule');
    return save({ ...current, specVersion: version, sourceEventId: event.id, runsSoFar, state: 'unscheduled', nextFireAt: null });
  }

  const base = {
    jobId: event.jobId,
    specVersion: version,
    sourceEventId: event.id,
    cron,
    timezone: batch.timezone,
    maxRuns: batch.max_runs ?? null,
    runsSoFar,
    startingDeadlineSeconds: batch.starting_deadline_seconds ?? null,
  };
  if (spec.state === 'suspended') return save({ ...base, state: 'suspended', nextFireAt: null });
  if (base.maxRuns !== null && runsSoFar >= base.maxRuns) return save({ ...base, state: 'exhausted', nextFireAt: null });

  // The same schedule still running keeps its next time: a version that changes something
  // else (parallelism, args) neither loses a tick that is due nor repeats one.
  const unchanged = current?.state === 'active' && current.cron === base.cron && current.timezone === base.timezone;
  const nextFireAt = unchanged ? current.nextFireAt : nextFireTime(base.cron, base.timezone, now);
  return save(nextFireAt === null ? { ...base, state: 'unscheduled', nextFireAt: null } : { ...base, state: 'active', nextFireAt });
}

function save(schedule: Schedule): ScheduleChange {
  return { kind: 'Save', schedule };
}

function ignore(reason: string): ScheduleChange {
  return { kind: 'Ignore', reason };
}
