// The API pages and streams (issue 15), against the whole system: 1,000 jobs listed page by page
// (each exactly once, also while jobs are added between pages), the filters, and the live event
// stream: resumed after a killed connection without gaps or repeats (checked against the feed),
// only the namespaces a viewer may read, bounded per process, and closed on shutdown. Specs are
// suspended: nothing runs in Flink.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { matchesLabels, parseLabelSelector } from '@fjc/contracts';
import { eventually } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';

const ROOT = join(__dirname, '..', '..');
const JOBS = 1000;

interface Listed {
  jobId: string;
  namespace: string;
  labels: Record<string, string>;
  state: string;
  statusChangedAt: string | null;
  deleted: boolean;
}
interface Logged {
  position: string;
  type: string;
  jobId: string;
}

const idOf = (i: number) => `pg-${String(i).padStart(4, '0')}`;
const namespaceOf = (i: number) => (i % 4 === 0 ? 'team-a' : 'team-b');
const labelsOf = (i: number): Record<string, string> => ({ tier: ['gold', 'silver', 'bronze'][i % 3], ...(i % 10 === 0 ? { canary: 'yes' } : {}) });

/** A server-sent events reader over fetch, as a browser console would read the stream. */
class SseReader {
  readonly events: Array<{ id: string; event: string; data: Logged }> = [];
  readonly comments: string[] = [];
  retry: string | null = null;
  status = 0;
  body: unknown = null;
  private readonly abort = new AbortController();
  readonly done: Promise<void>;
  private opened!: () => void;
  readonly open = new Promise<void>((resolve) => (this.opened = resolve));

  constructor(url: string, headers: Record<string, string>) {
    this.done = this.read(url, headers).catch((err: unknown) => {
      if (!this.abort.signal.aborted) throw err;
    });
  }

  /** Kills the connection, as a dropped network would. */
  kill(): Promise<void> {
    this.abort.abort();
    return this.done;
  }

  private async read(url: string, headers: Record<string, string>): Promise<void> {
    const res = await fetch(url, { headers, signal: this.abort.signal });
    this.status = res.status;
    if (res.status !== 200 || !res.body) {
      this.body = await res.json();
      this.opened();
      return;
    }
    this.opened();
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const fields = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const field = (name: string) => fields.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
        this.comments.push(...fields.filter((l) => l.startsWith(':')));
        this.retry = field('retry') ?? this.retry;
        const data = field('data');
        if (data !== undefined) this.events.push({ id: field('id') ?? '', event: field('event') ?? '', data: JSON.parse(data) as Logged });
      }
    }
  }
}

describe('API paging and the live stream', () => {
  let fjc: FjcSystem;
  let viewerToken: string;
  const created: Array<{ jobId: string; namespace: string; labels: Record<string, string> }> = [];

  beforeAll(async () => {
    fjc = await FjcSystem.start({ env: { FJC_STREAM_MAX_CLIENTS: '4', FJC_STREAM_HEARTBEAT_MS: '1000' } });
    viewerToken = await createToken('viewer-a', 'viewer', 'team-a');
    // 1,000 jobs through the API, eight requests at a time.
    await inParallel(8, Array.from({ length: JOBS }, (_, i) => i), async (i) => {
      await apply(idOf(i), namespaceOf(i), labelsOf(i));
      created.push({ jobId: idOf(i), namespace: namespaceOf(i), labels: labelsOf(i) });
    });
  }, 600_000);
  afterAll(() => fjc?.stop());

  async function apply(jobId: string, namespace: string, labels: Record<string, string>): Promise<void> {
    const spec = exampleSpec('stream-stateless.yaml', jobId, (s) => Object.assign(s, { state: 'suspended', namespace, labels }));
    const res = await fjc.request('PUT', `/jobs/${jobId}`, spec);
    if (res.status !== 200 && res.status !== 201) throw new Error(`PUT ${jobId}: ${res.status} ${JSON.stringify(res.body)}`);
  }

  function createToken(name: string, role: string, namespace: string): Promise<string> {
    return new Promise((resolve, reject) =>
      execFile(
        process.execPath,
        [join(ROOT, 'tools', 'cli', 'bin', 'fjc.js'), 'token', 'create', '--name', name, '--role', role, '--namespace', namespace],
        { cwd: ROOT, env: { ...process.env, DATABASE_URL: fjc.world.db.url } },
        (err, stdout, stderr) => (err ? reject(new Error(`fjc token create: ${stderr}`)) : resolve(stdout.trim())),
      ),
    );
  }

  const page = async (query: string, token = fjc.world.adminToken) => {
    const res = await fjc.request('GET', `/jobs?${query}`, undefined, { authorization: `Bearer ${token}` });
    if (res.status !== 200) throw new Error(`GET /jobs?${query}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { jobs: Listed[]; next: string | null };
  };

  /** Every job the list shows for a query, following next. */
  async function listAll(query: string, token?: string): Promise<Listed[]> {
    const jobs: Listed[] = [];
    let cursor: string | null = null;
    do {
      const p = await page(`${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
      jobs.push(...p.jobs);
      cursor = p.next;
    } while (cursor !== null);
    return jobs;
  }

  /** The feed from a position to its end, in log order. */
  async function feedAfter(after: string, query = ''): Promise<{ events: Logged[]; end: string }> {
    const events: Logged[] = [];
    for (;;) {
      const res = await fjc.request('GET', `/events?after=${after}&limit=1000${query}`);
      const body = res.body as { events: Logged[]; next: string };
      events.push(...body.events);
      if (body.next === after) return { events, end: after };
      after = body.next;
    }
  }

  it('lists 1,000 jobs page by page, each exactly once, also while jobs are added between pages', async () => {
    const seen: string[] = [];
    const added: Array<{ jobId: string; afterCursor: string }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p = await page(`limit=97&namespace=team-a,team-b,team-c${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(p.jobs.length).toBeLessThanOrEqual(97);
      seen.push(...p.jobs.map((j) => j.jobId));
      cursor = p.next;
      pages++;
      // Jobs added between pages, some before the cursor and some after it.
      if (cursor === null) break;
      const last = seen.at(-1) ?? '';
      for (const i of [pages * 131 % JOBS, (pages * 557 + 400) % JOBS]) {
        const jobId = `${idOf(i)}-added`;
        if (added.some((a) => a.jobId === jobId)) continue;
        await apply(jobId, 'team-c', {});
        added.push({ jobId, afterCursor: last });
      }
    } while (cursor !== null);

    expect(pages).toBeGreaterThanOrEqual(Math.ceil(JOBS / 97));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort());
    const originals = seen.filter((id) => !id.endsWith('-added'));
    expect(originals).toEqual(created.map((c) => c.jobId).sort());
    // An added job is on a later page exactly when its id sorts after the page it was added behind.
    for (const a of added) expect({ jobId: a.jobId, listed: seen.includes(a.jobId) }).toEqual({ jobId: a.jobId, listed: a.jobId > a.afterCursor });
    expect(added.filter((a) => a.jobId > a.afterCursor).length).toBeGreaterThan(0);
    expect(added.filter((a) => a.jobId < a.afterCursor).length).toBeGreaterThan(0);
  });

  it('filters by namespace, label selector, text and state: exactly the matching jobs', async () => {
    const ids = (jobs: Listed[]) => jobs.map((j) => j.jobId).sort();
    const expected = (keep: (c: (typeof created)[number]) => boolean) => created.filter(keep).map((c) => c.jobId).sort();

    expect(ids(await listAll('limit=250&namespace=team-a'))).toEqual(expected((c) => c.namespace === 'team-a'));
    for (const selector of ['tier=gold,!canary', 'tier in (gold,bronze),canary', 'tier notin (gold),canary!=yes', 'canary']) {
      const parsed = parseLabelSelector(selector);
      if (!parsed.ok) throw new Error(parsed.message);
      const listed = ids(await listAll(`limit=300&namespace=team-a,team-b&selector=${encodeURIComponent(selector)}`));
      expect({ selector, listed }).toEqual({ selector, listed: expected((c) => matchesLabels(parsed.requirements, c.labels)) });
    }
    expect(ids(await listAll('limit=1000&q=pg-01&namespace=team-b'))).toEqual(expected((c) => c.jobId.includes('pg-01') && c.namespace === 'team-b'));

    // States move while the reconciler reports: each answer holds only jobs in the asked state
    // (by its own state field), and every job whose status did not change around the query.
    const before = await listAll('limit=1000&namespace=team-a');
    const byState = new Map<string, Listed[]>();
    for (const state of new Set(before.map((j) => j.state))) byState.set(state, await listAll(`limit=1000&namespace=team-a&state=${state}`));
    const after = new Map((await listAll('limit=1000&namespace=team-a')).map((j) => [j.jobId, j]));
    const unchanged = before.filter((j) => after.get(j.jobId)?.state === j.state && after.get(j.jobId)?.statusChangedAt === j.statusChangedAt);
    expect(unchanged.length).toBeGreaterThan(0);
    for (const [state, listed] of byState) {
      expect(listed.filter((j) => j.state !== state)).toEqual([]);
      const missing = unchanged.filter((j) => j.state === state && !listed.some((l) => l.jobId === j.jobId));
      expect({ state, missing }).toEqual({ state, missing: [] });
    }

    // Deleted jobs only when asked for.
    for (const jobId of [idOf(4), idOf(8)]) expect((await fjc.request('DELETE', `/jobs/${jobId}`)).status).toBe(202);
    expect(ids(await listAll('limit=1000&q=pg-000'))).not.toContain(idOf(4));
    const withDeleted = await listAll('limit=1000&q=pg-000&includeDeleted=true');
    expect(withDeleted.filter((j) => j.deleted).map((j) => j.jobId)).toEqual([idOf(4), idOf(8)]);

    // A viewer of team-a sees team-a only, whatever it asks for.
    expect(new Set((await listAll('limit=1000', viewerToken)).map((j) => j.namespace))).toEqual(new Set(['team-a']));
    expect(await page('namespace=team-b', viewerToken)).toEqual({ jobs: [], next: null });
  });

  it('refuses a bad selector, cursor, limit or unknown parameter, naming it with a code', async () => {
    const refusal = async (query: string) => {
      const res = await fjc.request('GET', `/jobs?${query}`);
      return { status: res.status, error: (res.body as { errors: Array<{ path: string; code: string }> }).errors[0] };
    };
    expect(await refusal(`selector=${encodeURIComponent('tier in (gold')}`)).toMatchObject({ status: 400, error: { path: 'selector', code: 'FJC_INVALID_SELECTOR' } });
    expect(await refusal('colour=red&limit=5')).toMatchObject({ status: 400, error: { path: 'colour', code: 'FJC_INVALID_REQUEST' } });
    expect(await refusal('limit=1001')).toMatchObject({ status: 400, error: { path: 'limit', code: 'FJC_INVALID_REQUEST' } });
    expect(await refusal('state=SLEEPING')).toMatchObject({ status: 400, error: { path: 'state', code: 'FJC_INVALID_REQUEST' } });
    const next = (await page('limit=5&namespace=team-a')).next ?? '';
    expect(await refusal(`limit=5&namespace=team-b&cursor=${next}`)).toMatchObject({ status: 400, error: { path: 'cursor', code: 'FJC_INVALID_CURSOR' } });
    expect((await fjc.request('GET', '/events?jobid=x')).body).toMatchObject({ errors: [{ path: 'jobid', code: 'FJC_INVALID_REQUEST' }] });
  });

  it('the feed pages with filters: exactly the matching events, in log order', async () => {
    // The services keep appending (lifecycle events of the jobs made above), so the filtered
    // feeds are read first and the whole feed after them: a read sees every event older than the
    // oldest transaction still open, so an earlier read is a prefix, in log order, of a later one.
    const jobIds = [idOf(1), idOf(2), idOf(4)];
    const filtered = (await feedAfter('0', `&jobId=${jobIds.join(',')}&type=SpecUpdated,JobDeleteRequested`)).events;
    const teamA = (await feedAfter('0', '&namespace=team-a')).events;
    const all = (await feedAfter('0')).events;
    const matching = (keep: (e: Logged) => boolean, n: number) => all.filter(keep).slice(0, n).map((e) => e.position);
    expect(filtered.map((e) => e.position)).toEqual(matching((e) => jobIds.includes(e.jobId) && ['SpecUpdated', 'JobDeleteRequested'].includes(e.type), filtered.length));
    expect(filtered.map((e) => e.type)).toContain('JobDeleteRequested');
    const teamAJobs = new Set(created.filter((c) => c.namespace === 'team-a').map((c) => c.jobId));
    expect(teamA.length).toBeGreaterThanOrEqual(teamAJobs.size);
    expect(teamA.map((e) => e.position)).toEqual(matching((e) => teamAJobs.has(e.jobId), teamA.length));
  });

  it('streams the log live: resumes after a killed connection without gaps or repeats; a viewer sees only its namespace', async () => {
    const { end: start } = await feedAfter('0');
    const url = `${fjc.api}/stream`;
    const admin = { authorization: `Bearer ${fjc.world.adminToken}` };
    const viewer = new SseReader(`${url}?after=${start}`, { authorization: `Bearer ${viewerToken}` });
    let reader = new SseReader(`${url}?after=${start}`, admin);
    await Promise.all([viewer.open, reader.open]);
    expect([reader.status, viewer.status]).toEqual([200, 200]);

    // Four writers change jobs of both namespaces at once, so positions commit out of order;
    // meanwhile the connection is killed three times and resumed from the last id received.
    const updates = 160;
    const writers = inParallel(4, Array.from({ length: updates }, (_, i) => i), async (i) => {
      const n = (i * 37) % 200;
      await apply(idOf(n), namespaceOf(n), { ...labelsOf(n), rev: String(i) });
    });
    const received: SseReader['events'] = [];
    for (let kill = 0; kill < 3; kill++) {
      await eventually('events on the stream', async () => reader.events.length, (n) => n >= 5, { timeoutMs: 60_000, intervalMs: 20 });
      await reader.kill();
      received.push(...reader.events);
      reader = new SseReader(url, { ...admin, 'Last-Event-ID': received.at(-1)?.id ?? start });
    }
    await writers;
    const written = (await feedAfter(start)).events.length;
    await eventually('the stream caught up', async () => received.length + reader.events.length, (n) => n >= written, { timeoutMs: 60_000, intervalMs: 200 });
    await reader.kill();
    received.push(...reader.events);

    // Read after the stream stopped, the feed holds at least what it delivered, in the same order.
    const feed = (await feedAfter(start)).events;
    expect(received.filter((e) => e.event === 'SpecUpdated').length).toBeGreaterThanOrEqual(updates);
    expect(received.map((e) => e.id)).toEqual(feed.slice(0, received.length).map((e) => e.position));
    expect(received.every((e) => e.event === e.data.type && e.id === e.data.position)).toBe(true);

    const teamAJobs = new Set(created.filter((c) => c.namespace === 'team-a').map((c) => c.jobId));
    const teamAWritten = feed.filter((e) => teamAJobs.has(e.jobId)).length;
    await eventually('the viewer has the team-a events', async () => viewer.events.length, (n) => n >= teamAWritten, { timeoutMs: 30_000, intervalMs: 200 });
    await viewer.kill();
    const teamAFeed = (await feedAfter(start)).events.filter((e) => teamAJobs.has(e.jobId));
    expect(viewer.events.length).toBeGreaterThan(0);
    expect(viewer.events.map((e) => e.id)).toEqual(teamAFeed.slice(0, viewer.events.length).map((e) => e.position));
  });

  it('streams open with a retry hint and heartbeats; more than FJC_STREAM_MAX_CLIENTS is 503 with a code', async () => {
    const openStreams = () => fetch(`${fjc.service('spec-service').url}/metrics`).then(async (r) => (await r.text()).match(/^fjc_api_streams_open(?:\{[^}]*\})? (\d+)$/m)?.[1]);
    await eventually('no stream open', openStreams, (n) => n === '0', { timeoutMs: 30_000, intervalMs: 200 });
    const auth = { authorization: `Bearer ${fjc.world.adminToken}` };
    const open = [1, 2, 3, 4].map(() => new SseReader(`${fjc.api}/stream?type=SpecUpdated`, auth));
    await Promise.all(open.map((r) => r.open));
    expect(open.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const refused = new SseReader(`${fjc.api}/stream`, auth);
    await refused.open;
    expect({ status: refused.status, body: refused.body }).toMatchObject({ status: 503, body: { errors: [{ code: 'FJC_STREAM_LIMIT_REACHED' }] } });
    await eventually('a heartbeat', async () => open[0].comments, (c) => c.includes(': heartbeat'), { timeoutMs: 10_000, intervalMs: 100 });
    expect(open[0].retry).toBe('3000');
    // Opened without a position: only what happens from now on.
    await apply(idOf(3), namespaceOf(3), { fresh: 'yes' });
    await eventually('the new version on every stream', async () => open.map((r) => r.events.length), (n) => n.every((c) => c >= 1), { timeoutMs: 30_000, intervalMs: 100 });
    for (const r of open) expect(r.events.map((e) => [e.event, e.data.jobId])).toEqual([['SpecUpdated', idOf(3)]]);
    const bad = new SseReader(`${fjc.api}/stream`, { ...auth, 'Last-Event-ID': 'x1' });
    await bad.open;
    expect(bad).toMatchObject({ status: 400, body: { errors: [{ path: 'Last-Event-ID', code: 'FJC_INVALID_REQUEST' }] } });

    // Shutdown with streams open: they are ended, and the service stops within its grace period.
    const stopped = await fjc.service('spec-service').stop();
    await Promise.all(open.map((r) => r.done));
    expect(stopped?.signal).not.toBe('SIGKILL');
  });
});

async function inParallel<T>(n: number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: n }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}
