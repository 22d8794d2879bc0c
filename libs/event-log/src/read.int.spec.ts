// The late-commit race: a reader polling while an early transaction is still open never
// skips its event, and does not stall once that transaction rolls back.
import { appendToStream, checkpointAtPosition, compareCheckpoints, readableHead, readLogAfter, readLogMatching, LOG_START, type LogCheckpoint, type StoredEvent } from './index';
import { appendNow, migratedTestDb, newEvent, type LogTestDb } from './test-support.int';

describe('readLogAfter (real PostgreSQL)', () => {
  let t: LogTestDb;
  beforeEach(async () => {
    t = await migratedTestDb();
  });
  afterEach(() => t.close());

  async function drain(at: LogCheckpoint, seen: StoredEvent[]): Promise<LogCheckpoint> {
    for (;;) {
      const page = await readLogAfter(t.app, at, 2);
      seen.push(...page.events);
      if (page.events.length === 0) return at;
      at = page.next;
    }
  }

  it('never skips an early position that commits after later ones', async () => {
    const early = await t.app.connect();
    await early.query('begin');
    await appendToStream(early, 'job-early', 'no-stream', [newEvent('job-early', 'Early')]);
    const earlyPosition = (await early.query<{ p: string }>(`select max(position)::text as p from event_log`)).rows[0].p;

    // Later transactions take later positions and commit first.
    for (let i = 0; i < 3; i++) await appendNow(t.app, `job-late-${i}`, 'no-stream', [newEvent(`job-late-${i}`, 'Late')]);
    const late = await t.owner.query<{ p: string }>(`select position::text as p from event_log order by position`);
    expect(late.rows.map((r) => BigInt(r.p) > BigInt(earlyPosition)).every(Boolean)).toBe(true);

    // The reader polls while the early transaction is open: it must not move past it.
    const seen: StoredEvent[] = [];
    const at = await drain(LOG_START, seen);
    expect(seen.map((e) => e.type)).toEqual([]);

    await early.query('commit');
    early.release();
    await drain(at, seen);
    expect(seen.map((e) => e.type).sort()).toEqual(['Early', 'Late', 'Late', 'Late']);
    expect(seen.map((e) => e.position)).toContain(earlyPosition);
  });

  it('pages through positions past a power of ten in numeric order, each event once', async () => {
    for (let i = 0; i < 25; i++) await appendNow(t.app, 'job-many', i, [newEvent('job-many', 'Step', { i })]);
    const seen: StoredEvent[] = [];
    let at = LOG_START;
    for (;;) {
      const page = await readLogAfter(t.app, at, 4);
      if (page.events.length === 0) break;
      seen.push(...page.events);
      at = page.next;
    }
    const positions = seen.map((e) => Number(e.position));
    expect(positions).toHaveLength(25);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(25);
  });

  it('does not stall after the early transaction rolls back', async () => {
    const early = await t.app.connect();
    await early.query('begin');
    await appendToStream(early, 'job-doomed', 'no-stream', [newEvent('job-doomed', 'Doomed')]);
    await appendNow(t.app, 'job-after', 'no-stream', [newEvent('job-after', 'After')]);

    const seen: StoredEvent[] = [];
    let at = await drain(LOG_START, seen);
    expect(seen).toHaveLength(0);

    await early.query('rollback');
    early.release();
    at = await drain(at, seen);
    expect(seen.map((e) => e.type)).toEqual(['After']);
    expect(at.position).toBe(seen[0].position);
  });

  it('readLogMatching: a sparse filter scans a bounded window, moves on, and still never skips a late commit', async () => {
    const early = await t.app.connect();
    await early.query('begin');
    await appendToStream(early, 'job-wanted', 'no-stream', [newEvent('job-wanted', 'Early')]);
    for (let i = 0; i < 12; i++) await appendNow(t.app, `job-noise-${i}`, 'no-stream', [newEvent(`job-noise-${i}`, 'Step')]);
    const wanted = (param: (v: unknown) => string) => `e.job_id = ${param('job-wanted')}`;

    // Nothing readable yet: the open transaction holds the horizon; the page neither matches nor moves.
    const blocked = await readLogMatching(t.app, LOG_START, { limit: 10, scan: 5, where: wanted });
    expect(blocked).toEqual({ events: [], next: LOG_START, end: true });
    expect(await readableHead(t.app)).toEqual(LOG_START);

    await early.query('commit');
    early.release();
    // The early event comes first in log order; later pages move through the noise five at a time.
    const first = await readLogMatching(t.app, LOG_START, { limit: 10, scan: 5, where: wanted });
    expect(first.events.map((e) => e.type)).toEqual(['Early']);
    expect(first.end).toBe(false);
    let at = first.next;
    let pages = 0;
    for (let page = first; !page.end; pages++) {
      page = await readLogMatching(t.app, at, { limit: 10, scan: 5, where: wanted });
      expect(page.events).toEqual([]);
      at = page.next;
    }
    expect(pages).toBe(2);
    expect(at).toEqual(await readableHead(t.app));
    expect(compareCheckpoints(at, first.next)).toBe(1);
    expect(await checkpointAtPosition(t.app, at.position)).toEqual(at);
    expect(await checkpointAtPosition(t.app, '999999')).toBeNull();
  });
});
