// NOTIFY only when someone sleeps. A transaction that NOTIFYs takes a database-wide lock through
// its commit, so with a NOTIFY in every append all appends commit one after another and
// PostgreSQL cannot flush several commits at once (measured: about a sixth of the raw commit rate).
// Now the relay arms a row in log_wake when it goes to sleep with nothing to do, and the append
// trigger notifies only while such a row is fresh (armed in the last 10 s: a relay that died
// armed stops costing notifications); a relay that is busy has no row, so appends under load
// commit in parallel. NOTIFY stays a hint: the relay's poll is the fallback.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from './1764000000000-create-event-log';

export class LogWake1772400000001 implements MigrationInterface {
  name = 'LogWake1772400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table log_wake (
        listener  text        primary key,
        armed_at  timestamptz not null
      )`);
    await q.query(`revoke all on log_wake from public`);
    await q.query(`grant select, insert, update, delete on log_wake to ${APP_ROLE}`);
    await q.query(`
      create or replace function event_log_notify() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from log_wake where armed_at > now() - interval '10 seconds') then
          perform pg_notify('fjc_event_log', '');
        end if;
        return null;
      end $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      create or replace function event_log_notify() returns trigger language plpgsql as $$
      begin
        perform pg_notify('fjc_event_log', '');
        return null;
      end $$`);
    await q.query(`drop table if exists log_wake`);
  }
}
