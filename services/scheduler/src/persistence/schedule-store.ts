// Reading and writing schedule rows, always inside the caller's transaction. Loads lock the
// row (FOR UPDATE) so a spec event and a tick never overwrite each other's counts; the tick
// loop's claim skips rows another transaction holds, so two instances never tick one job at once.
import { Injectable } from '@nestjs/common';
import type { Queryable } from '@fjc/event-log';
import { z } from 'zod';
import { SCHEDULE_STATES, type Schedule } from '../schedule/schedule';

const COLUMNS = `job_id, spec_version, source_event_id, state, cron, timezone, max_runs, runs_so_far,
  starting_deadline_seconds, next_fire_at`;

const ScheduleRowSchema = z.object({
  job_id: z.string(),
  spec_version: z.int(),
  source_event_id: z.string(),
  state: z.enum(SCHEDULE_STATES),
  cron: z.string().nullable(),
  timezone: z.string().nullable(),
  max_runs: z.int().nullable(),
  runs_so_far: z.int(),
  starting_deadline_seconds: z.int().nullable(),
  next_fire_at: z.date().nullable(),
});

@Injectable()
export class ScheduleStore {
  /** The job's schedule, locked until the transaction ends; null when it has none. */
  async load(tx: Queryable, jobId: string): Promise<Schedule | null> {
    const res = await tx.query(`select ${COLUMNS} from scheduler_schedules where job_id = $1 for update`, [jobId]);
    return res.rows.length === 0 ? null : toSchedule(res.rows[0]);
  }

  /** Due active schedules no other transaction holds, earliest first, locked until the transaction ends. */
  async claimDue(tx: Queryable, now: Date, limit: number): Promise<Schedule[]> {
    const res = await tx.query(
      `select ${COLUMNS} from scheduler_schedules
       where state = 'active' and next_fire_at <= $1
       order by next_fire_at
       limit $2
       for update skip locked`,
      [now, limit],
    );
    return res.rows.map(toSchedule);
  }

  async save(tx: Queryable, s: Schedule, now: Date): Promise<void> {
    await tx.query(
      `insert into scheduler_schedules (${COLUMNS}, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       on conflict (job_id) do update set
         spec_version = excluded.spec_version, source_event_id = excluded.source_event_id, state = excluded.state,
         cron = excluded.cron, timezone = excluded.timezone, max_runs = excluded.max_runs, runs_so_far = excluded.runs_so_far,
         starting_deadline_seconds = excluded.starting_deadline_seconds, next_fire_at = excluded.next_fire_at,
         updated_at = excluded.updated_at`,
      [s.jobId, s.specVersion, s.sourceEventId, s.state, s.cron, s.timezone, s.maxRuns, s.runsSoFar, s.startingDeadlineSeconds, s.nextFireAt, now],
    );
  }

  /** The earliest time an active schedule is due next (null: none is). */
  async nextDue(db: Queryable): Promise<Date | null> {
    const res = await db.query<{ at: Date | null }>(`select min(next_fire_at) as at from scheduler_schedules where state = 'active'`);
    return res.rows[0]?.at ?? null;
  }

  async countActive(db: Queryable): Promise<number> {
    const res = await db.query<{ n: number }>(`select count(*)::int as n from scheduler_schedules where state = 'active'`);
    return res.rows[0]?.n ?? 0;
  }
}

function toSchedule(row: unknown): Schedule {
  const r = ScheduleRowSchema.parse(row);
  return {
    jobId: r.job_id,
    specVersion: r.spec_version,
    sourceEventId: r.source_event_id,
    state: r.state,
    cron: r.cron,
    timezone: r.timezone,
    maxRuns: r.max_runs,
    runsSoFar: r.runs_so_far,
    startingDeadlineSeconds: r.starting_deadline_seconds,
    nextFireAt: r.next_fire_at,
  };
}
