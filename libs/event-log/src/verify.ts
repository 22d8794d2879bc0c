// Verifying the hash chain: recompute every row's hash and check it links to its stream's
// previous row. Names the first row (lowest position) that no longer matches. A stream whose
// older part was archived (archive.ts) links its first live row to the anchor left behind.
import type { Queryable } from './sql';

export type ChainReport =
  | { readonly ok: true; readonly checked: number }
  | {
      readonly ok: false;
      readonly checked: number;
      readonly firstBad: { readonly position: string; readonly streamId: string; readonly streamVersion: number; readonly reason: string };
    };

export async function verifyChain(q: Queryable, onProgress?: (checked: number) => void): Promise<ChainReport> {
  let checked = 0;
  let afterStream = '';
  let firstBad: Extract<ChainReport, { ok: false }>['firstBad'] | null = null;
  // Streams in batches so a large log shows progress and never sits in memory whole.
  for (;;) {
    const streams = await q.query<{ stream_id: string }>(
      `select distinct stream_id from event_log where stream_id > $1 order by stream_id limit 200`,
      [afterStream],
    );
    if (streams.rows.length === 0) break;
    const ids = streams.rows.map((r) => r.stream_id);
    afterStream = ids[ids.length - 1];
    const res = await q.query<{ n: number; position: string | null; stream_id: string | null; stream_version: number | null; reason: string | null }>(
      `with x as (
         select e.position, e.stream_id, e.stream_version, e.prev_hash, e.hash,
                case when row_number() over w = 1 then a.hash else lag(e.hash) over w end as pred_hash,
                case when row_number() over w = 1 then a.stream_version else lag(e.stream_version) over w end as pred_version,
                event_log_row_hash(e.prev_hash, e.stream_id, e.stream_version, e.job_id, e.event_id, e.type, e.schema_version,
                                   e.payload, e.metadata, e.occurred_at) as recomputed
           from event_log e left join event_log_anchor a on a.stream_id = e.stream_id
          where e.stream_id = any($1::text[])
         window w as (partition by e.stream_id order by e.stream_version)),
       bad as (
         select position, stream_id, stream_version,
                case when hash <> recomputed then 'content does not match its hash'
                     when stream_version <> coalesce(pred_version, 0) + 1 then 'a stream version is missing before it'
                     else 'does not link to the previous row of its stream' end as reason
           from x
          where hash <> recomputed or prev_hash is distinct from pred_hash
             or stream_version <> coalesce(pred_version, 0) + 1
          order by position limit 1)
       select (select count(*)::int from x) as n, b.position::text as position, b.stream_id, b.stream_version, b.reason
         from (select 1) one left join bad b on true`,
      [ids],
    );
    const row = res.rows[0];
    checked += row.n;
    if (row.position !== null && (firstBad === null || BigInt(row.position) < BigInt(firstBad.position))) {
      firstBad = { position: row.position, streamId: row.stream_id ?? '', streamVersion: row.stream_version ?? 0, reason: row.reason ?? '' };
    }
    onProgress?.(checked);
  }
  return firstBad ? { ok: false, checked, firstBad } : { ok: true, checked };
}
