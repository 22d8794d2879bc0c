// The append-only event log, its guards and the bookkeeping tables around it.
//
// - Position is global and gap-free enough for humans; readers order by (tx_id, position)
//   and only read rows whose transaction id is below the oldest running transaction
//   (pg_snapshot_xmin), so an early transaction that commits late is never skipped.
// - A BEFORE INSERT trigger links each row to the previous version of its stream in a hash
//   chain, stamps tx_id and recorded_at itself, and refuses a version whose predecessor has a
//   newer transaction id (a retryable serialization failure): this keeps (tx_id, position)
//   order consistent with per-stream version order, which the relay relies on.
// - UPDATE and DELETE are refused by a row trigger, TRUNCATE by a statement trigger, for every
//   role including the owner; the application role gets only INSERT and SELECT.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export const APP_ROLE = 'fjc_app';

export class CreateEventLog1764000000000 implements MigrationInterface {
  name = 'CreateEventLog1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table event_log (
        position        bigint generated always as identity primary key,
        tx_id           xid8        not null default pg_current_xact_id(),
        stream_id       text        not null,
        stream_version  integer     not null check (stream_version >= 1),
        job_id          text        not null,
        event_id        uuid        not null,
        type            text        not null,
        schema_version  integer     not null check (schema_version >= 1),
        payload         jsonb       not null,
        metadata        jsonb       not null,
        occurred_at     timestamptz not null,
        recorded_at     timestamptz not null default clock_timestamp(),
        prev_hash       bytea,
        hash            bytea       not null,
        constraint event_log_stream_version_uq unique (stream_id, stream_version),
        constraint event_log_event_id_uq unique (event_id)
      )`);
    await q.query(`create index event_log_tx_position_idx on event_log (tx_id, position)`);
    await q.query(`create index event_log_job_position_idx on event_log (job_id, position)`);

    await q.query(`
      create function event_log_row_hash(
        prev bytea, stream_id text, stream_version integer, job_id text, event_id uuid, type text,
        schema_version integer, payload jsonb, metadata jsonb, occurred_at timestamptz
      ) returns bytea language sql immutable as $$
        select sha256(convert_to(concat_ws(E'\\x1f',
          coalesce(encode(prev, 'hex'), ''), stream_id, stream_version::text, job_id, event_id::text, type,
          schema_version::text, payload::text, metadata::text,
          to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')), 'UTF8'))
      $$`);

    await q.query(`
      create function event_log_before_insert() returns trigger language plpgsql as $$
      declare
        prev record;
      begin
        new.tx_id := pg_current_xact_id();
        new.recorded_at := clock_timestamp();
        if new.stream_version > 1 then
          select e.hash, e.tx_id into prev from event_log e
            where e.stream_id = new.stream_id and e.stream_version = new.stream_version - 1;
          if not found then
            raise exception 'FJC_LOG_STREAM_GAP: % has no version % before %',
              new.stream_id, new.stream_version - 1, new.stream_version using errcode = 'P0001';
          end if;
          if prev.tx_id > new.tx_id then
            raise exception 'FJC_LOG_STREAM_ORDER: % version % would precede its predecessor in log order; retry',
              new.stream_id, new.stream_version using errcode = '40001';
          end if;
          new.prev_hash := prev.hash;
        else
          new.prev_hash := null;
        end if;
        new.hash := event_log_row_hash(new.prev_hash, new.stream_id, new.stream_version, new.job_id,
          new.event_id, new.type, new.schema_version, new.payload, new.metadata, new.occurred_at);
        return new;
      end $$`);
    await q.query(`
      create trigger event_log_before_insert before insert on event_log
        for each row execute function event_log_before_insert()`);

    await q.query(`
      create function event_log_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception 'FJC_LOG_APPEND_ONLY: % on event_log is not allowed; the log is append-only', tg_op
          using errcode = '42501';
      end $$`);
    await q.query(`
      create trigger event_log_no_update_delete before update or delete on event_log
        for each row execute function event_log_refuse_change()`);
    await q.query(`
      create trigger event_log_no_truncate before truncate on event_log
        for each statement execute function event_log_refuse_change()`);

    // Consumers' dedupe: one row per (consumer, event) written in the handler's transaction.
    await q.query(`
      create table inbox (
        consumer     text        not null,
        event_id     uuid        not null,
        topic        text        not null,
        processed_at timestamptz not null default now(),
        primary key (consumer, event_id)
      )`);
    // Relays' and projections' progress through the log, as (tx_id, position).
    await q.query(`
      create table log_checkpoint (
        name       text        primary key,
        tx_id      xid8        not null,
        position   bigint      not null,
        updated_at timestamptz not null default now()
      )`);

    await q.query(`
      do $$ begin
        if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
          create role ${APP_ROLE} login;
        end if;
      end $$`);
    await q.query(`revoke all on event_log from public`);
    await q.query(`revoke all on event_log from ${APP_ROLE}`);
    await q.query(`grant select, insert on event_log to ${APP_ROLE}`);
    await q.query(`grant select, insert, update, delete on inbox, log_checkpoint to ${APP_ROLE}`);
    await q.query(`grant usage on schema public to ${APP_ROLE}`);
    // Notify the relay on commit of any append; the payload is only a hint.
    await q.query(`
      create function event_log_notify() returns trigger language plpgsql as $$
      begin
        perform pg_notify('fjc_event_log', '');
        return null;
      end $$`);
    await q.query(`
      create trigger event_log_notify after insert on event_log
        for each statement execute function event_log_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The log is append-only by design: dropping it is a deliberate, separate act.
    await q.query(`drop table if exists log_checkpoint, inbox`);
    await q.query(`drop table if exists event_log cascade`);
    await q.query(`drop function if exists event_log_notify, event_log_refuse_change, event_log_before_insert, event_log_row_hash`);
  }
}
