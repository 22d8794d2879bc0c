// event_log_append's re-send check (`event_id = any(array(...))`, migration 1772500000000) is a
// statement whose plan plpgsql caches per session, and a session that planned it while the log
// was small (a fresh database, before autovacuum's first analyze) kept a sequential scan of the
// whole log for every append, until the next analyze. Measured with 8 writers and 8,000 appends
// on fresh databases: in 2 runs of 4 the unique index on event_id was never used, about 7,300
// sequential scans read the log (1,740 and 1,810 appends/s against 2,660 and 2,360), and
// `npm run bench` gave 982 and 2,990 appends/s for the same commit. The check now runs through
// EXECUTE, planned on each call with the log's size at that moment: 5 sequential scans in each of
// 5 runs, 2,330 to 2,610 appends/s. Same function, same outcomes otherwise.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AppendIndexedResendCheck1772500000000 } from './1772500000000-append-indexed-resend-check';

export class AppendPlannedResendCheck1772600000000 implements MigrationInterface {
  name = 'AppendPlannedResendCheck1772600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create or replace function event_log_append(p_stream text, p_expected integer, p_events jsonb)
      returns table (status text, stream_version integer, positions bigint[], duplicate_ids text[])
      language plpgsql security invoker as $$
      declare
        n integer := jsonb_array_length(p_events);
        dup_ids text[];
        dup_max integer;
        cur integer;
        pos bigint[];
        violated text;
      begin
        execute 'select array_agg(e.event_id::text), max(e.stream_version) from event_log e where e.event_id = any ($1)'
           into dup_ids, dup_max
          using array(select (x->>'event_id')::uuid from jsonb_array_elements(p_events) x);
        if coalesce(array_length(dup_ids, 1), 0) = n then
          return query select 'duplicate'::text, dup_max, null::bigint[], null::text[];
          return;
        elsif dup_ids is not null then
          return query select 'partial'::text, null::integer, null::bigint[], dup_ids;
          return;
        end if;
        select coalesce(max(e.stream_version), 0) into cur from event_log e where e.stream_id = p_stream;
        if p_expected is not null and p_expected <> cur then
          return query select 'conflict'::text, cur, null::bigint[], null::text[];
          return;
        end if;
        begin
          with ins as (
            insert into event_log (stream_id, stream_version, job_id, event_id, type, schema_version, payload, metadata, occurred_at, hash)
            select p_stream, cur + e.ord, e.job_id, e.event_id, e.type, e.schema_version, e.payload, e.metadata, e.occurred_at, ''::bytea
              from jsonb_to_recordset(p_events) as e(job_id text, event_id uuid, type text, schema_version int,
                   payload jsonb, metadata jsonb, occurred_at timestamptz, ord int)
             order by e.ord
            returning event_log.position)
          select array_agg(ins.position order by ins.position) into pos from ins;
        exception when unique_violation then
          get stacked diagnostics violated = constraint_name;
          select coalesce(max(e.stream_version), 0) into cur from event_log e where e.stream_id = p_stream;
          return query select (case when violated = 'event_log_event_id_uq' then 'duplicate' else 'conflict' end)::text, cur, null::bigint[], null::text[];
          return;
        end;
        return query select 'appended'::text, cur + n, pos, null::text[];
      end $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await new AppendIndexedResendCheck1772500000000().up(q);
  }
}
