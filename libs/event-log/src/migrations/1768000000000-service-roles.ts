// Each service writes the log as its own role (see roles.ts): log_writers says, per role, which
// producer it is and which event types it may append, and the insert trigger holds every row to
// that. A role that is not listed (the owner, the rebuild and recovery tools) is not checked; the
// service roles are the only ones granted INSERT. UPDATE, DELETE and TRUNCATE stay refused for
// every role by the triggers of the first migration.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ServiceRoles1768000000000 implements MigrationInterface {
  name = 'ServiceRoles1768000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table log_writers (
        role_name   text   primary key,
        producer    text   not null,
        event_types text[] not null
      )`);
    await q.query(`revoke all on log_writers from public`);
    await q.query(`
      create function event_log_check_writer() returns trigger language plpgsql as $$
      declare
        w record;
      begin
        select producer, event_types into w from log_writers where role_name = current_user;
        if not found then
          return new;
        end if;
        if new.metadata->>'producer' is distinct from w.producer then
          raise exception 'FJC_LOG_FOREIGN_PRODUCER: role % appends as %, not as %', current_user, w.producer,
            coalesce(new.metadata->>'producer', 'no producer') using errcode = '42501';
        end if;
        if not new.type = any (w.event_types) then
          raise exception 'FJC_LOG_FOREIGN_EVENT: % may not append % events', w.producer, new.type using errcode = '42501';
        end if;
        return new;
      end $$`);
    // Named to fire before event_log_before_insert (triggers fire in name order): a refused row costs no hash.
    await q.query(`
      create trigger event_log_a_check_writer before insert on event_log
        for each row execute function event_log_check_writer()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop trigger if exists event_log_a_check_writer on event_log`);
    await q.query(`drop function if exists event_log_check_writer`);
    await q.query(`drop table if exists log_writers`);
  }
}
