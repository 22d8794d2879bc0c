// The log cannot be rewritten: UPDATE, DELETE and TRUNCATE fail for the application role and
// for the owner, and a row edited with the triggers disabled is named by verifyChain.
import { verifyChain } from './index';
import { appendNow, migratedTestDb, newEvent, type LogTestDb } from './test-support.int';

describe('append-only guards and hash chain (real PostgreSQL)', () => {
  let t: LogTestDb;
  beforeAll(async () => {
    t = await migratedTestDb();
    for (let i = 0; i < 3; i++) {
      await appendNow(t.app, 'job-1', i, [newEvent('job-1', 'Step', { i })]);
      await appendNow(t.app, 'job-2', i, [newEvent('job-2', 'Step', { i })]);
    }
  });
  afterAll(() => t.close());

  const changes = [
    ['UPDATE', `update event_log set type = 'Forged' where stream_id = 'job-1'`],
    ['DELETE', `delete from event_log where stream_id = 'job-1'`],
    ['TRUNCATE', `truncate event_log`],
  ] as const;

  describe.each([
    ['the application role', () => t.app],
    ['the owner', () => t.owner],
  ])('for %s', (_who, pool) => {
    it.each(changes)('%s fails', async (_op, sql) => {
      await expect(pool().query(sql)).rejects.toThrow(/FJC_LOG_APPEND_ONLY|permission denied/);
      const { rows } = await t.owner.query<{ n: number }>('select count(*)::int as n from event_log');
      expect(rows[0].n).toBe(6);
    });
  });

  it('denies the application role by privilege, not only by trigger', async () => {
    await expect(t.app.query(`update event_log set type = 'x'`)).rejects.toThrow(/permission denied/);
  });

  it('verifies an untouched chain', async () => {
    expect(await verifyChain(t.app)).toEqual({ ok: true, checked: 6 });
  });

  it('names the first row edited behind the triggers', async () => {
    const client = await t.owner.connect();
    try {
      // What an attacker with the owner's rights could do: switch the guards off and edit.
      await client.query('alter table event_log disable trigger user');
      await client.query(`update event_log set payload = '{"i": 99}' where stream_id = 'job-2' and stream_version = 2`);
      await client.query('alter table event_log enable trigger user');
    } finally {
      client.release();
    }
    const { rows } = await t.owner.query<{ position: string }>(
      `select position::text as position from event_log where stream_id = 'job-2' and stream_version = 2`,
    );
    const report = await verifyChain(t.app);
    expect(report).toMatchObject({
      ok: false,
      checked: 6,
      firstBad: { position: rows[0].position, streamId: 'job-2', streamVersion: 2, reason: 'content does not match its hash' },
    });
  });
});
