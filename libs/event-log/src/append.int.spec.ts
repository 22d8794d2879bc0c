// Appends under contention: optimistic concurrency and idempotency, against real PostgreSQL.
import { appendToStream, inTransaction, readStream, type NewEvent } from './index';
import { migratedTestDb, newEvent, type LogTestDb } from './test-support.int';

describe('appendToStream (real PostgreSQL)', () => {
  let t: LogTestDb;
  beforeAll(async () => {
    t = await migratedTestDb();
  });
  afterAll(() => t.close());

  it('32 concurrent writers with conflicting versions and re-sent events: contiguous versions, each event once', async () => {
    const streams = ['job-a', 'job-b', 'job-c', 'job-d'];
    const perWriter = 25;
    const sent = new Map<string, NewEvent>();
    let conflicts = 0;
    let duplicates = 0;

    async function writer(w: number): Promise<void> {
      const stream = streams[w % streams.length];
      let resend: NewEvent | null = null;
      for (let i = 0; i < perWriter; ) {
        // About one append in ten re-sends the last accepted event instead of a new one.
        const isResend: boolean = resend !== null && Math.random() < 0.1;
        const event: NewEvent = isResend && resend ? resend : newEvent(stream, 'Counted', { writer: w, i });
        const result = await inTransaction(t.app, async (tx) => {
          const current = await readStream(tx, stream);
          return appendToStream(tx, stream, current.length, [event]);
        });
        if (result.status === 'conflict') {
          expect(result.code).toBe('FJC_VERSION_CONFLICT');
          conflicts++;
          continue; // re-read and try again, as a real command handler does
        }
        if (result.status === 'duplicate') {
          expect(isResend).toBe(true);
          duplicates++;
          resend = null;
          continue;
        }
        sent.set(event.eventId, event);
        resend = event;
        i++;
      }
    }

    await Promise.all(Array.from({ length: 32 }, (_, w) => writer(w)));

    expect(conflicts).toBeGreaterThan(0);
    expect(duplicates).toBeGreaterThan(0);
    const rows = await t.owner.query<{ stream_id: string; versions: number[]; n: number; distinct_ids: number }>(
      `select stream_id, array_agg(stream_version order by stream_version) as versions, count(*)::int as n,
              count(distinct event_id)::int as distinct_ids
         from event_log group by stream_id order by stream_id`,
    );
    expect(rows.rows.map((r) => r.stream_id)).toEqual(streams);
    for (const r of rows.rows) {
      expect(r.versions).toEqual(Array.from({ length: r.n }, (_, k) => k + 1));
      expect(r.distinct_ids).toBe(r.n);
    }
    const total = rows.rows.reduce((s, r) => s + r.n, 0);
    expect(total).toBe(32 * perWriter);
    expect(total).toBe(sent.size);
  });

  it('returns a conflict as a value and leaves the transaction usable', async () => {
    const result = await inTransaction(t.app, async (tx) => {
      const conflict = await appendToStream(tx, 'job-z', 5, [newEvent('job-z')]);
      const ok = await appendToStream(tx, 'job-z', 'no-stream', [newEvent('job-z')]);
      return { conflict, ok };
    });
    expect(result.conflict).toEqual({ status: 'conflict', code: 'FJC_VERSION_CONFLICT', expectedVersion: 5, actualVersion: 0 });
    expect(result.ok).toMatchObject({ status: 'appended', streamVersion: 1 });
  });

  it('refuses an event over FJC_MAX_EVENT_BYTES before writing anything of its batch', async () => {
    const small = newEvent('job-big');
    const big = { ...newEvent('job-big'), payload: { blob: 'x'.repeat(600 * 1024) } };
    await expect(inTransaction(t.app, (tx) => appendToStream(tx, 'job-big', 'no-stream', [small, big]))).rejects.toMatchObject({
      code: 'FJC_EVENT_TOO_LARGE',
      limit: 512 * 1024,
    });
    expect(await readStream(t.app, 'job-big')).toEqual([]);
  });
});
