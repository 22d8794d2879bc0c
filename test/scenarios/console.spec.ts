// The web console in a real browser (Debian's chromium, driven by playwright-core) against the
// real stack: a spec applied through the console runs in Flink, a rollback through the console
// runs the older version, a viewer is offered no action, and the timeline lists the job's events
// in log order. Refreshes the screenshots in docs/console/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { stringify } from 'yaml';
import { eventually, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem, type EnvelopeView } from '../support/system';

const ROOT = join(__dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(ROOT, 'docs', 'console');

describe('the web console', () => {
  let fjc: FjcSystem;
  let browser: BrowserContext;
  let profile: string;
  let viewerToken: string;
  const refusedByCsp: string[] = [];
  const jobId = `console-${uniqueSuffix()}`;
  const spec = (rate: number) =>
    exampleSpec('stream-stateless.yaml', jobId, (s) => {
      s.args = ['--mode', 'stream', '--rate', String(rate), '--keys', '4'];
    });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (npm test does, as root)`);
    const flinkUi = process.env.FLINK_REST_URL ?? 'http://127.0.0.1:8081';
    fjc = await FjcSystem.start({ env: { FJC_CLUSTER_UI_URLS: `default=${flinkUi}` } });
    const created = spawnSync(process.execPath, [join(ROOT, 'tools', 'cli', 'bin', 'fjc.js'), 'token', 'create', '--name', 'console-viewer', '--role', 'viewer', '--namespace', '*'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: fjc.world.db.url },
    });
    if (created.status !== 0) throw new Error(`fjc token create: ${created.stderr}`);
    viewerToken = created.stdout.trim();
    profile = mkdtempSync(join(tmpdir(), 'fjc-console-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await fjc?.stop();
  });

  /** A new tab signed in with `token`; whatever the CSP refuses is collected (there must be nothing). */
  async function signedIn(token: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) refusedByCsp.push(m.text());
    });
    await page.goto(`${fjc.service('spec-service').url}/`);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return page;
  }

  const stateOf = (page: Page) => page.locator('#job-title [data-state]');

  it('refuses a wrong token with a clear message (signing in from the keyboard)', async () => {
    const page = await browser.newPage();
    await page.goto(`${fjc.service('spec-service').url}/`);
    await page.keyboard.press('Tab');
    expect(await page.getByLabel('API token').evaluate((field) => field.ownerDocument.activeElement === field)).toBe(true);
    await page.keyboard.type('fjc_not-a-token-anyone-made');
    await page.keyboard.press('Enter');
    await expectText(page.getByRole('alert'), /not accepted/);
    await page.close();
  });

  it('applies a spec through the console with its plan, and the job runs in Flink', async () => {
    const page = await signedIn(fjc.world.adminToken);
    await page.getByRole('link', { name: 'Apply a spec' }).click();
    // An invalid spec first: the editor names the field and its line.
    await page.getByLabel(/^Spec/).fill(stringify({ ...spec(20), deployment: { parallelism: 0 } }));
    await page.getByRole('button', { name: 'Check and plan' }).click();
    await expectText(page.locator('#spec-problems'), /deployment\.parallelism/);

    await page.getByLabel(/^Spec/).fill(stringify(spec(20)));
    await page.getByRole('button', { name: 'Check and plan' }).click();
    // The plan comes from the API (POST /plan) before anything changes: a new job, started.
    await expectText(page.getByRole('region', { name: 'Plan' }), /The spec is valid/);
    await expectText(page.locator('[data-change-class]'), /^new-job$/);
    await expectText(page.getByRole('list', { name: 'Steps' }), /start/i);
    expect(await fjc.request('GET', `/jobs/${jobId}`)).toMatchObject({ status: 404 });
    await page.getByRole('button', { name: 'Apply…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(`**/#/jobs/${jobId}`);
    await expectText(stateOf(page), /^RUNNING$/, 90_000);

    const job = await fjc.job(jobId);
    expect(job).toMatchObject({ version: 1, state: 'RUNNING' });
    expect(await fjc.runningInFlinkSoon(jobId)).toEqual([job.flinkJobId]);
    expect((await fjc.flink.job(job.flinkJobId as string))?.state).toBe('RUNNING');
    // The Flink job links to the cluster's UI (FJC_CLUSTER_UI_URLS).
    expect(await page.getByRole('link', { name: /in Flink’s UI/ }).getAttribute('href')).toContain(`/#/job/running/${job.flinkJobId}/overview`);

    const listStream = page.waitForResponse((r) => r.url().includes('/api/v1/stream?type=') && r.status() === 200);
    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await listStream; // the list follows the stream of status and spec events
    const row = page.locator(`tr[data-job="${jobId}"]`);
    await expectText(row, /default.*default.*RUNNING/s);
    await page.getByLabel('Search').fill('no-such-job');
    await expectText(page.locator('caption'), /^0 of/);
    await page.getByLabel('Search').fill(jobId);
    await expectText(page.locator('caption'), /^1 of/);
    await page.screenshot({ path: join(SHOTS, 'jobs.png'), fullPage: true });
    await page.close();
  });

  it('edits the running job with its plan shown first, then rolls it back: the older spec runs again in Flink', async () => {
    const page = await signedIn(fjc.world.adminToken);
    await page.goto(`${fjc.service('spec-service').url}/#/jobs/${jobId}`);
    await page.getByRole('link', { name: 'Edit and apply' }).click();
    const editor = page.getByLabel(/^Spec/);
    const current = await eventually('the current spec in the editor', () => editor.inputValue(), (t) => t.includes(`job_id: ${jobId}`));
    await editor.fill(current.replace('- "20"', '- "30"'));
    await page.getByRole('button', { name: 'Check and plan' }).click();
    // A changed program argument needs a new Flink job: the plan says so, field by field.
    await expectText(page.locator('[data-change-class]'), /^redeploy$/);
    await expectText(page.getByLabel(/^Changes against/), /args[\s\S]*"20"[\s\S]*"30"[\s\S]*redeploy/);
    await page.screenshot({ path: join(SHOTS, 'apply.png'), fullPage: true });
    await page.getByRole('button', { name: 'Apply…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(`**/#/jobs/${jobId}`);
    const second = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.deployedVersion === 2, 'version 2 RUNNING');

    // The diff between the two versions shows the changed argument, field by field.
    await expectText(page.getByLabel('Changes from version 1 to version 2'), /args\[3\] \(changed\)\s+20\s+30/);
    await page.getByRole('button', { name: 'Roll back to 1' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Roll back to version 1' }).click();
    await expectText(page.getByRole('status'), /Rolled back: version 3/);

    const third = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.deployedVersion === 3 && j.flinkJobId !== second.flinkJobId, 'version 3 RUNNING');
    // Version 3 is version 1's spec again.
    expect((await fjc.request('GET', `/jobs/${jobId}`)).body).toMatchObject({ version: 3, spec: { args: ['--mode', 'stream', '--rate', '20', '--keys', '4'] } });
    expect(await fjc.runningInFlinkSoon(jobId)).toEqual([third.flinkJobId]);
    await expectText(stateOf(page), /^RUNNING$/);
    await expectText(page.locator('tr[data-version="3"]'), /JobRolledBack \(to 1\)/);
    await page.screenshot({ path: join(SHOTS, 'job.png'), fullPage: true });
    await page.close();
  });

  it('offers a viewer no action, and /me says why', async () => {
    const me = await fetch(`${fjc.api}/me`, { headers: { authorization: `Bearer ${viewerToken}` } }).then((r) => r.json());
    expect(me).toMatchObject({ kind: 'service', subject: 'token:console-viewer', grants: [{ role: 'viewer', namespace: '*' }] });
    const page = await signedIn(viewerToken);
    await expect(page.getByRole('link', { name: 'Apply a spec' }).count()).resolves.toBe(0);
    await page.goto(`${fjc.service('spec-service').url}/#/jobs/${jobId}`);
    await expectText(stateOf(page), /^RUNNING$/);
    expect(await page.getByRole('group', { name: 'Actions' }).locator('button, a').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Roll back/ }).count()).toBe(0);
    await page.close();
  });

  it('shows the timeline in log order, with actor and trace id', async () => {
    type Logged = EnvelopeView & { position: string };
    const before = (await fjc.events(jobId)) as Logged[];
    const page = await signedIn(fjc.world.adminToken);
    // The job page follows the job's event stream (GET /api/v1/stream?jobId=...), not a timer.
    const streamed = page.waitForResponse((r) => r.url().endsWith(`/api/v1/stream?jobId=${jobId}`) && r.status() === 200);
    await page.goto(`${fjc.service('spec-service').url}/#/jobs/${jobId}`);
    expect((await streamed).headers()['content-type']).toMatch(/^text\/event-stream/);
    const rows = page.locator('table.timeline tbody tr');
    const read = () => rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    // The page polls: wait until it shows every event the log had before it opened.
    const shown = await eventually('the timeline shows the logged events', read, (cells) => before.every((e) => cells.some((c) => c[0] === e.position)), {
      timeoutMs: 15_000,
      intervalMs: 250,
    });
    // Log order: strictly increasing positions, each row the API's event at that position.
    const positions = shown.map((cells) => BigInt(cells[0]));
    expect(positions).toEqual([...new Set(positions)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const byPosition = new Map(((await fjc.events(jobId)) as Logged[]).map((e) => [e.position, e]));
    expect(shown.map((cells) => cells[2])).toEqual(shown.map((cells) => byPosition.get(cells[0])?.type));
    const types = shown.map((cells) => cells[2]);
    expect(types.indexOf('SpecUpdated')).toBe(0);
    expect(types.indexOf('JobRolledBack')).toBeGreaterThan(types.lastIndexOf('SpecUpdated'));
    // Actor as written in the event (the admin token's name), and the trace id of each event.
    const applied = shown[0];
    const actor = byPosition.get(applied[0])?.actor;
    expect(applied[3]).toBe(actor?.name ?? actor?.subject);
    expect(applied[3]).toMatch(/^bootstrap-admin/);
    expect(applied[5]).toMatch(/^[\da-f]{32}$/);
    await page.close();
    expect(refusedByCsp).toEqual([]);
  });
});

async function expectText(locator: import('playwright-core').Locator, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  await eventually(`text ${pattern}`, () => locator.first().innerText().catch(() => ''), (t) => pattern.test(t), { timeoutMs, intervalMs: 250 });
}
