// `fjc audit export|verify|archive` against the real PostgreSQL of the local stack, run as a
// person runs them: the built CLI as a child process.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { appendToStream, inTransaction, migrateDatabase, type NewEvent } from '@fjc/event-log';
import { createTestDatabase, type TestDatabase } from '@fjc/testing';

const WORKSPACE = join(__dirname, '..', '..', '..');
const BIN = join(WORKSPACE, 'tools', 'cli', 'bin', 'fjc.js');

function fjc(env: Record<string, string>, ...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: WORKSPACE, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function event(jobId: string, type: string, payload: unknown): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    jobId,
    payload,
    metadata: { producer: 'test', actor: { kind: 'user', id: `op-${jobId}` }, correlationId: randomUUID(), causationId: null },
    occurredAt: new Date(),
  };
}

describe('fjc audit (real PostgreSQL)', () => {
  let db: TestDatabase;
  let owner: Pool;
  let env: Record<string, string>;
  let dir: string;
  const from = new Date(Date.now() - 60_000).toISOString();
  const to = new Date(Date.now() + 60_000).toISOString();

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateDatabase(db.url);
    owner = new Pool({ connectionString: db.url });
    for (const [job, ns] of [['job-x', 'ns-x'], ['job-y', 'ns-y']]) {
      await inTransaction(owner, (tx) => appendToStream(tx, `spec-${job}`, 0, [event(job, 'SpecUpdated', { spec: { namespace: ns } })]));
      for (let i = 0; i < 4; i++) await inTransaction(owner, (tx) => appendToStream(tx, `life-${job}`, i, [event(job, 'Step', { i })]));
    }
    env = { DATABASE_URL: db.url };
    dir = mkdtempSync(join(tmpdir(), 'fjc-audit-'));
  });
  afterAll(async () => {
    await owner?.end();
    await db?.drop();
  });

  it('exports a namespace to a file that verifies alone, and names a tampered event', () => {
    const out = join(dir, 'ns-x.json');
    const run = fjc(env, 'audit', 'export', '--from', from, '--to', to, '--namespace', 'ns-x', '--out', out);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/exported 5 events \(5 of other namespaces as hashes\)/);
    const ok = fjc(env, 'audit', 'verify', out);
    expect(ok.stdout).toMatch(/^ok: 5 events in 2 streams \(5 omitted as hashes\)/);
    expect(ok.code).toBe(0);

    const file = JSON.parse(readFileSync(out, 'utf8')) as { events: { eventId: string; payload: string }[] };
    const victim = file.events[2];
    victim.payload = victim.payload.replace(/\d/, '7');
    const forged = join(dir, 'forged.json');
    writeFileSync(forged, JSON.stringify(file));
    const bad = fjc(env, 'audit', 'verify', forged);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`FJC_AUDIT_EVENT_TAMPERED: event ${victim.eventId}`);
  });

  it('refuses a bad time with a usage error naming the flag', () => {
    const run = fjc(env, 'audit', 'export', '--from', 'yesterday', '--to', to);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--from: "yesterday" is not an ISO-8601 time/);
  });

  it('archives old events with the owner, and both the archive and the live log verify', () => {
    const archiveDir = mkdtempSync(join(tmpdir(), 'fjc-archive-'));
    const run = fjc(env, 'audit', 'archive', '--older-than', '0s', '--dir', archiveDir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^archived 6 events to /);
    const [name] = readdirSync(archiveDir);
    expect(fjc(env, 'audit', 'verify', join(archiveDir, name)).stdout).toMatch(/^ok: 6 events in 2 streams/);
    const live = fjc(env, 'log', 'verify');
    expect(live.stdout).toMatch(/^ok: 4 events, hash chain intact/);
    expect(fjc(env, 'audit', 'archive', '--older-than', '0s', '--dir', archiveDir).stdout).toBe('nothing to archive\n');
  });
});
