// Retention without breaking the hash chain: an operator may move old events to an archive
// file (see archive.ts), and the live log keeps, per stream, the anchor of what left it.
//
// - event_log_archive records each archive: its file's name and SHA-256, the cutoff, the range.
// - event_log_anchor holds, per stream, the last archived version and its hash; verifyChain
//   links the first live row of the stream to it.
// - The guard trigger now lets one thing through: DELETE of a row older than the cutoff of the
//   archive named by `fjc.archive_id` in the same transaction. Services have no DELETE privilege
//   on event_log and none on these tables, so for them UPDATE, DELETE and TRUNCATE still fail
//   (invariant 1); only the owner, through the archive entry, can archive.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from './1764000000000-create-event-log';

export class EventLogArchive1772300000000 implements MigrationInterface {
  name = 'EventLogArchive1772300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table event_log_archive (
        id              uuid        primary key,
        archived_at     timestamptz not null default now(),
        cutoff          timestamptz not null,
        file_name       text        not null,
        file_sha256     text        not null,
        range_digest    text        not null,
        event_count     integer     not null,
        first_position  bigint,
        last_position   bigint
      )`);
    await q.query(`
      create table event_log_anchor (
        stream_id      text    primary key,
        stream_version integer not null check (stream_version >= 1),
        hash           bytea   not null,
        archive_id     uuid    not null references event_log_archive (id)
      )`);
    await q.query(`revoke all on event_log_archive, event_log_anchor from public`);
    // Verification (fjc log verify, run with any role that reads the log) needs the anchors.
    await q.query(`grant select on event_log_anchor, event_log_archive to ${APP_ROLE}`);
    await q.query(`
      create or replace function event_log_refuse_change() returns trigger language plpgsql as $$
      declare
        archive_id text := current_setting('fjc.archive_id', true);
      begin
        if tg_op = 'DELETE' and tg_level = 'ROW' and coalesce(archive_id, '') <> '' and exists (
             select 1 from event_log_archive a
              where a.id = archive_id::uuid and old.recorded_at < a.cutoff
                and old.position between a.first_position and a.last_position) then
          return old;
        end if;
        raise exception 'FJC_LOG_APPEND_ONLY: % on event_log is not allowed; the log is append-only', tg_op
          using errcode = '42501';
      end $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      create or replace function event_log_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception 'FJC_LOG_APPEND_ONLY: % on event_log is not allowed; the log is append-only', tg_op
          using errcode = '42501';
      end $$`);
    await q.query(`drop table if exists event_log_anchor, event_log_archive`);
  }
}
