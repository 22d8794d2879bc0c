// Audit exports and the archive against real PostgreSQL: an export proves itself (also when
// filtered by namespace), a tampered or shortened export names what is wrong, and archiving
// keeps both the archive and the live log verifiable while services still cannot delete.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { archiveLog, exportAudit, loadArchivedEvents, replayLog, verifyAuditFile, verifyChain, type AuditFile, type StoredEvent } from './index';
import { appendNow, migratedTestDb, newEvent, type LogTestDb } from './test-support.int';

function spec(jobId: string, namespace: string) {
  return { ...newEvent(jobId, 'SpecUpdated', { spec: { job_id: jobId, namespace } }), metadata: { producer: 'spec-service', actor: { kind: 'user' as const, id: `alice-${namespace}` }, correlationId: jobId, causationId: null } };
}

const clone = (f: AuditFile): AuditFile => JSON.parse(JSON.stringify(f)) as AuditFile;

describe('audit export and archive (real PostgreSQL)', () => {
  let t: LogTestDb;
  let from: Date;
  let to: Date;
  beforeAll(async () => {
    t = await migratedTestDb();
    from = new Date(Date.now() - 1000);
    for (const [job, ns] of [['job-a', 'team-a'], ['job-b', 'team-b']] as const) {
      await appendNow(t.owner, `spec-${job}`, 0, [spec(job, ns)]);
      for (let i = 0; i < 3; i++) await appendNow(t.app, `life-${job}`, i, [newEvent(job, 'Step', { i })]);
    }
    to = new Date(Date.now() + 1000);
  });
  afterAll(() => t.close());

  it('exports a range that verifies on its own, with every actor', async () => {
    const file = await exportAudit(t.app, { from, to, namespace: null });
    expect(file.events).toHaveLength(8);
    expect(file.events.map((e) => e.actor?.id)).toContain('alice-team-a');
    expect(verifyAuditFile(clone(file))).toMatchObject({ ok: true, events: 8, omitted: 0, streams: 4 });
  });

  it('filters by namespace and still proves the whole range', async () => {
    const all = await exportAudit(t.app, { from, to, namespace: null });
    const a = await exportAudit(t.app, { from, to, namespace: 'team-a' });
    expect(new Set(a.events.map((e) => e.jobId))).toEqual(new Set(['job-a']));
    expect(a.omitted).toHaveLength(4);
    expect(a.rangeDigest).toBe(all.rangeDigest);
    expect(verifyAuditFile(clone(a))).toMatchObject({ ok: true, events: 4, omitted: 4 });
  });

  it('names the event whose content was changed', async () => {
    const file = clone(await exportAudit(t.app, { from, to, namespace: null }));
    const victim = file.events[3];
    (victim as { payload: string }).payload = victim.payload.replace('}', ', "forged": true}');
    expect(verifyAuditFile(file)).toMatchObject({ ok: false, code: 'FJC_AUDIT_EVENT_TAMPERED', eventId: victim.eventId });
  });

  it('names an event whose actor was rewritten, and notices a dropped event', async () => {
    const file = clone(await exportAudit(t.app, { from, to, namespace: null }));
    (file.events[0] as { actor: unknown }).actor = { kind: 'user', id: 'mallory' };
    expect(verifyAuditFile(file)).toMatchObject({ ok: false, eventId: file.events[0].eventId, message: expect.stringContaining('actor') });
    const shortened = clone(await exportAudit(t.app, { from, to, namespace: 'team-b' }));
    const middle = shortened.events.find((e) => e.streamId === 'life-job-b' && e.streamVersion === 2);
    (shortened as unknown as { events: unknown[] }).events = shortened.events.filter((e) => e !== middle);
    expect(verifyAuditFile(shortened)).toMatchObject({ ok: false, code: 'FJC_AUDIT_INCOMPLETE' });
    const lastDropped = clone(await exportAudit(t.app, { from, to, namespace: 'team-b' }));
    const last = lastDropped.events.find((e) => e.streamId === 'life-job-b' && e.streamVersion === 3);
    (lastDropped as unknown as { events: unknown[] }).events = lastDropped.events.filter((e) => e !== last);
    (lastDropped as unknown as { streams: unknown[] }).streams = lastDropped.streams.map((s) => (s.streamId === 'life-job-b' ? { ...s, lastVersion: 2, next: null } : s));
    expect(verifyAuditFile(lastDropped)).toMatchObject({ ok: false, code: 'FJC_AUDIT_INCOMPLETE' });
  });

  it('archives old events to a file that verifies alone, and the live chain still verifies from its anchors', async () => {
    // A second spec version: spec streams are read whole by the spec-service, so they stay live.
    await appendNow(t.owner, 'spec-job-a', 1, [spec('job-a', 'team-a')]);
    const before = await verifyChain(t.app);
    expect(before).toEqual({ ok: true, checked: 9 });
    const replayed = async (archived?: StoredEvent[]) => {
      const seen: string[] = [];
      await replayLog(t.owner, (e) => void seen.push(`${e.eventId}@${e.position}`), { archived });
      return seen;
    };
    const wholeLog = await replayed();
    const dir = mkdtempSync(join(tmpdir(), 'fjc-archive-'));
    const result = await archiveLog(t.owner, { cutoff: new Date(Date.now() + 500), directory: dir });
    // Each stream keeps its newest row: life streams lose versions 1 and 2, spec streams nothing.
    expect(result.archived).toBe(4);
    const made = result.archive;
    if (made === null) throw new Error('nothing archived');
    const archived = JSON.parse(readFileSync(made.file, 'utf8')) as AuditFile;
    expect(verifyAuditFile(archived)).toMatchObject({ ok: true, events: 4 });
    expect(archived.events.map((e) => e.streamId).filter((id) => id.startsWith('spec-'))).toEqual([]);
    expect(await verifyChain(t.app)).toEqual({ ok: true, checked: 5 });

    // A rebuild's replay with the archive sees the whole log again, in the same order.
    expect(await replayed()).toHaveLength(wholeLog.length - 4);
    expect(await replayed(await loadArchivedEvents(t.owner, dir))).toEqual(wholeLog);
    // Every recorded archive must be there, and be the file that was recorded.
    await expect(loadArchivedEvents(t.owner, mkdtempSync(join(tmpdir(), 'fjc-no-archive-')))).rejects.toThrow(/FJC_REBUILD_ARCHIVE_MISSING/);
    const forgedDir = mkdtempSync(join(tmpdir(), 'fjc-forged-archive-'));
    writeFileSync(join(forgedDir, basename(made.file)), `${readFileSync(made.file, 'utf8')} `);
    await expect(loadArchivedEvents(t.owner, forgedDir)).rejects.toThrow(/FJC_REBUILD_ARCHIVE_MISMATCH/);

    // Appending after the archive links to the kept head and the chain still verifies.
    await appendNow(t.app, 'life-job-a', 3, [newEvent('job-a', 'Step', { i: 3 })]);
    expect(await verifyChain(t.app)).toEqual({ ok: true, checked: 6 });

    // A service role cannot use the archive path, even naming the archive.
    const client = await t.app.connect();
    try {
      await client.query('begin');
      await client.query(`select set_config('fjc.archive_id', $1, true)`, [made.id]);
      await expect(client.query(`delete from event_log where stream_id = 'life-job-a'`)).rejects.toThrow(/permission denied/);
      await client.query('rollback');
    } finally {
      client.release();
    }
    // Nor can the owner delete outside an archive.
    await expect(t.owner.query(`delete from event_log where stream_id = 'life-job-a'`)).rejects.toThrow(/FJC_LOG_APPEND_ONLY/);

    // A forged anchor is caught.
    const owner = await t.owner.connect();
    try {
      await owner.query(`update event_log_anchor set hash = sha256('x') where stream_id = 'life-job-b'`);
    } finally {
      owner.release();
    }
    expect(await verifyChain(t.app)).toMatchObject({ ok: false, firstBad: { streamId: 'life-job-b', streamVersion: 3 } });
  });
});
