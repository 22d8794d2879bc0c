// The scheduler's own table: one row per job that has (or had) a cron schedule. The tick loop
// claims due rows with FOR UPDATE SKIP LOCKED, so the partial index covers exactly that query.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '@fjc/event-log';

export class CreateSchedulerSchedules1764310000000 implements MigrationInterface {
  name = 'CreateSchedulerSchedules1764310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table scheduler_schedules (
        job_id                    text        primary key,
        spec_version              integer     not null check (spec_version >= 1),
        source_event_id           uuid        not null,
        state                     text        not null check (state in ('active', 'suspended', 'unscheduled', 'exhausted', 'deleted')),
        cron                      text,
        timezone                  text,
        max_runs                  integer     check (max_runs >= 1),
        runs_so_far               integer     not null default 0 check (runs_so_far >= 0),
        starting_deadline_seconds integer     check (starting_deadline_seconds >= 1),
        next_fire_at              timestamptz,
        updated_at                timestamptz not null,
        constraint scheduler_schedules_active_ck check (
          (state = 'active') = (next_fire_at is not null) and (state <> 'active' or (cron is not null and timezone is not null))
        )
      )`);
    await q.query(`create index scheduler_schedules_due_idx on scheduler_schedules (next_fire_at) where state = 'active'`);
    await q.query(`grant select, insert, update, delete on scheduler_schedules to ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table if exists scheduler_schedules`);
  }
}
