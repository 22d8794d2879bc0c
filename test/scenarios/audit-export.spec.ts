// Compliance on the real stack (docs/compliance.md): the audit trail of a scenario, exported with
// `fjc audit export`, verifies on its own with `fjc audit verify`; changing one exported event
// makes verify fail naming it; `fjc audit archive` (the owner's act) moves the old part of the
// log to a file that verifies alone while `fjc log verify` still holds on the live log, and the
// system keeps working on the shortened log; a rebuild with the archive files equals the live tables.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueSuffix } from '@fjc/testing';
import { Recovery } from '../support/recovery';
import { exampleSpec, FjcSystem } from '../support/system';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'tools', 'cli', 'bin', 'fjc.js');

describe('audit export and archive of a scenario (real stack)', () => {
  let fjc: FjcSystem;
  const batch = `audit-batch-${uniqueSuffix()}`;
  const dir = mkdtempSync(join(tmpdir(), 'fjc-audit-scenario-'));
  const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: fjc.world.db.url } });

  beforeAll(async () => {
    fjc = await FjcSystem.start();
  });
  afterAll(async () => {
    await fjc?.stop();
  });

  it('exports a run that verifies alone, names a tampered event, and archives without breaking the chain', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    expect((await fjc.request('PUT', `/jobs/${batch}`, exampleSpec('batch-once.yaml', batch))).status).toBe(201);
    await fjc.waitForState(batch, (j) => j.state === 'FINISHED', 'FINISHED', 90_000);
    const to = new Date(Date.now() + 1_000).toISOString();
    await new Promise((r) => setTimeout(r, 1_500)); // the range must end in the past

    const out = join(dir, 'export.json');
    const exported = cli('audit', 'export', '--from', from, '--to', to, '--namespace', 'default', '--out', out);
    expect(exported.stderr).toMatch(/exported \d+ events/);
    expect(exported.status).toBe(0);
    const file = JSON.parse(readFileSync(out, 'utf8')) as { events: Array<{ eventId: string; type: string; jobId: string; actor: { kind: string; id: string } | null; payload: string }> };
    const ours = file.events.filter((e) => e.jobId === batch);
    expect(ours.map((e) => e.type)).toEqual(expect.arrayContaining(['SpecUpdated', 'ActionRequested', 'ActionSucceeded', 'LifecycleChanged']));
    // The actor is the authenticated identity the API recorded, as its audit trail shows it.
    const applied = (await fjc.events(batch)).find((e) => e.type === 'SpecUpdated');
    expect(ours.find((e) => e.type === 'SpecUpdated')?.actor).toEqual(applied?.actor);
    expect(applied?.actor?.id).toBeTruthy();
    const verified = cli('audit', 'verify', out);
    expect(verified.stdout).toMatch(/^ok: \d+ events in \d+ streams/);
    expect(verified.status).toBe(0);

    const victim = ours.find((e) => e.type === 'ActionSucceeded') as (typeof ours)[number];
    victim.payload = victim.payload.replace('"', '"x');
    const forged = join(dir, 'forged.json');
    writeFileSync(forged, JSON.stringify(file));
    const refused = cli('audit', 'verify', forged);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain(`FJC_AUDIT_EVENT_TAMPERED: event ${victim.eventId}`);

    // A second spec version before the archive: the job's spec stream is its history and stays live.
    expect((await fjc.request('PUT', `/jobs/${batch}`, exampleSpec('batch-once.yaml', batch, (s) => Object.assign(s, { labels: { audit: 'first' } })))).status).toBe(200);
    await fjc.waitForState(batch, (j) => j.version === 2, 'version 2');
    const recovery = await Recovery.open(fjc);
    await recovery.settled();

    // Retention: what every relay has passed leaves the live log for a file; both still verify.
    const archiveDir = mkdtempSync(join(tmpdir(), 'fjc-archive-scenario-'));
    const archived = cli('audit', 'archive', '--older-than', '0s', '--dir', archiveDir);
    expect({ status: archived.status, stdout: archived.stdout, stderr: archived.stderr }).toEqual({ status: 0, stdout: expect.stringMatching(/^archived [1-9]\d* events to /), stderr: '' });
    const [name] = readdirSync(archiveDir);
    expect(cli('audit', 'verify', join(archiveDir, name)).stdout).toMatch(/^ok: /);
    expect(cli('log', 'verify').stdout).toMatch(/^ok: \d+ events, hash chain intact/);

    // The system goes on appending to the shortened streams: a new version is accepted and shown,
    // every version is still in the history, the chain holds.
    expect((await fjc.request('PUT', `/jobs/${batch}`, exampleSpec('batch-once.yaml', batch, (s) => Object.assign(s, { labels: { audit: 'again' } })))).status).toBe(200);
    await fjc.waitForState(batch, (j) => j.version === 3, 'version 3');
    const history = (await fjc.request('GET', `/jobs/${batch}/versions`)).body as { versions: Array<{ version: number }> };
    expect(history.versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(cli('log', 'verify').stdout).toMatch(/^ok: \d+ events, hash chain intact/);

    // A rebuild reads the archive back: refused without it (history would be dropped silently),
    // and with it every service's tables rebuild equal to the live ones.
    try {
      const refusedRebuild = recovery.rebuild('reconciler');
      expect(refusedRebuild.status).toBe(1);
      expect(refusedRebuild.stderr).toMatch(/FJC_REBUILD_ARCHIVE_REQUIRED: the log has 1 archive\(s\)/);
      await recovery.expectRebuildsIdentical('--archive', archiveDir);
    } finally {
      await recovery.close();
    }
  });
});
