// The spec-service over HTTP, as a built process against the real PostgreSQL and Kafka: apply
// (YAML and JSON), versions only on change, If-Match, invalid specs leaving no trace, suspend,
// resume, rollback, savepoints, delete, the audit trail and the global feed, the status read
// model fed by fjc.job.lifecycle, OpenAPI and metrics, and `fjc apply` against it.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { LifecycleChangedEvent } from '@fjc/contracts';
import { appendToStream, inTransaction, newEventOfEnvelope } from '@fjc/event-log';
import { recordLifecycle } from './read-model/job-status-table';
import { eventually } from '@fjc/testing';
import { startSpecService, type SpecServiceWorld } from './testing/spec-service-world';

const ROOT = join(__dirname, '..', '..', '..');
const example = (name: string) => readFileSync(join(ROOT, 'examples', 'specs', name), 'utf8');
/** The stateless example under another job id, so the examples themselves stay for the CLI test. */
const JOB = 'orders-http';
const streamYaml = example('stream-stateless.yaml').replace('job_id: orders-counter-stateless', `job_id: ${JOB}`);
const streamJson = parse(streamYaml) as Record<string, unknown> & { deployment: Record<string, unknown> };
const withParallelism = (n: number) => ({ ...streamJson, deployment: { ...streamJson.deployment, parallelism: n } });

let s: SpecServiceWorld;

beforeAll(async () => {
  s = await startSpecService();
});
afterAll(async () => {
  await s?.close();
});

describe('PUT /api/v1/jobs/{jobId}', () => {
  it('creates a job from a YAML example: 201, version 1, with the authenticated caller as actor (X-FJC-Actor is ignored)', async () => {
    const res = await s.http(`/api/v1/jobs/${JOB}`, { method: 'PUT', yaml: streamYaml, headers: { 'X-FJC-Actor': 'ann', 'X-Correlation-Id': 'corr-create' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ jobId: JOB, version: 1, changed: true, warnings: [] });
    expect(res.headers.get('location')).toBe(`/api/v1/jobs/${JOB}`);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.headers.get('x-correlation-id')).toBe('corr-create');
  });

  it('answers the same spec again, as YAML or as JSON, with 200 changed: false', async () => {
    for (const body of [{ yaml: streamYaml }, { json: streamJson }]) {
      const res = await s.http(`/api/v1/jobs/${JOB}`, { method: 'PUT', ...body });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ jobId: JOB, version: 1, changed: false, warnings: [] });
    }
    expect(await s.logOf(JOB)).toEqual(['SpecUpdated']);
  });

  it('makes version 2 of a changed parallelism', async () => {
    const res = await s.http(`/api/v1/jobs/${JOB}`, { method: 'PUT', json: withParallelism(2) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 2, changed: true });
  });

  it('honours If-Match: 409 naming If-Match when stale, applied when current', async () => {
    const stale = await s.http(`/api/v1/jobs/${JOB}`, { method: 'PUT', json: withParallelism(3), headers: { 'If-Match': '1' } });
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual({ errors: [{ path: 'If-Match', code: 'FJC_VERSION_CONFLICT', message: 'expected version 1, but the current version is 2' }] });
    const current = await s.http(`/api/v1/jobs/${JOB}`, { method: 'PUT', json: withParallelism(3), headers: { 'If-Match': '"2"' } });
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ version: 3, changed: true });
  });

  it('refuses an invalid spec with 400 naming the field and its line, and appends nothing', async () => {
    const yaml = streamYaml.replace(`job_id: ${JOB}`, 'job_id: bad-job').replace('parallelism: 1', 'parallelism: 0');
    const res = await s.http('/api/v1/jobs/bad-job', { method: 'PUT', yaml });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ path: 'deployment.parallelism', code: 'FJC_SPEC_OUT_OF_RANGE', message: 'must be at least 1, got 0', line: 10, column: 3 }],
    });
    const json = await s.http('/api/v1/jobs/bad-job', { method: 'PUT', json: { ...withParallelism(0), job_id: 'bad-job', colour: 'red' } });
    expect(json.status).toBe(400);
    expect(json.body.errors.map((e: { path: string }) => e.path)).toEqual(['deployment.parallelism', 'colour']);
    expect(await s.logOf('bad-job')).toEqual([]);
    expect((await s.http('/api/v1/jobs/bad-job')).status).toBe(404);
  });

  it('refuses a spec naming another job (400 job_id), a body that is not JSON, and other media types', async () => {
    const other = await s.http('/api/v1/jobs/someone-else', { method: 'PUT', yaml: streamYaml });
    expect(other.status).toBe(400);
    expect(other.body.errors).toEqual([expect.objectContaining({ path: 'job_id', code: 'FJC_JOB_ID_MISMATCH' })]);
    const broken = await s.http(`/api/v1/jobs/${JOB}`, { method: 'PUT', body: '{"job_id": ', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0].code).toBe('FJC_INVALID_JSON');
    const text = await s.http(`/api/v1/jobs/${JOB}`, { method: 'PUT', body: streamYaml, headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(await s.logOf('someone-else')).toEqual([]);
  });
});

describe('concurrent applies', () => {
  const job = 'orders-concurrent';
  const yamlFor = (parallelism: number) =>
    streamYaml.replace(`job_id: ${JOB}`, `job_id: ${job}`).replace('parallelism: 1', `parallelism: ${parallelism}`);
  const put = (parallelism: number) => s.http(`/api/v1/jobs/${job}`, { method: 'PUT', yaml: yamlFor(parallelism) });

  it('gives every different spec its own version and the same spec one version, losing nothing', async () => {
    const different = await Promise.all([1, 2, 3, 4, 5, 6].map(put));
    expect(different.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(different.map((a) => a.body.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const same = await Promise.all([9, 9, 9, 9, 9].map(put));
    expect(same.filter((a) => a.body.changed)).toHaveLength(1);
    expect(same.map((a) => a.body.version)).toEqual([7, 7, 7, 7, 7]);
    expect(await s.logOf(job)).toHaveLength(7);
  });

  it('refuses a body over the document limit with 413 naming it, for YAML and JSON alike', async () => {
    const yaml = await s.http(`/api/v1/jobs/${job}`, { method: 'PUT', yaml: `${yamlFor(1)}\n# ${'x'.repeat(300_000)}\n` });
    expect(yaml).toMatchObject({ status: 413, body: { errors: [{ code: 'FJC_BODY_TOO_LARGE', message: expect.stringContaining('the limit is 262144 bytes (FJC_MAX_DOCUMENT_BYTES)') }] } });
    const json = await s.http(`/api/v1/jobs/${job}`, { method: 'PUT', json: { ...parse(yamlFor(1)), labels: { big: 'x'.repeat(2 * 1024 * 1024) } } });
    expect(json).toMatchObject({ status: 413, body: { errors: [{ code: 'FJC_BODY_TOO_LARGE', message: expect.stringContaining('the limit is 262144 bytes') }] } });
  });

  it('refuses 100 aliases of one 10 KB scalar (an 11 KB body) with 400 naming the limit, and the relay keeps flowing', async () => {
    const bomb = `${yamlFor(1).replace(/^args:.*$/m, `args: [&a "${'y'.repeat(10_000)}", ${Array.from({ length: 99 }, () => '*a').join(', ')}]`)}`;
    expect(bomb.length).toBeLessThan(11_500);
    const res = await s.http(`/api/v1/jobs/${job}`, { method: 'PUT', yaml: bomb });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ code: 'FJC_SPEC_ALIAS_EXPANSION_TOO_LARGE', message: expect.stringContaining('262144 bytes (FJC_MAX_DOCUMENT_BYTES)') })]);
    expect(await s.logOf(job)).toHaveLength(7);
    const after = await s.http(`/api/v1/jobs/${job}`, { method: 'PUT', yaml: yamlFor(11) });
    expect(after.body).toMatchObject({ version: 8, changed: true });
    await eventually('version 8 relayed to Kafka', () => s.relayedCount(job), (n) => n === 8, { timeoutMs: 30_000 });
  });
});

describe('browsers', () => {
  /** node:http, because fetch may not set Host or Origin. */
  const raw = (method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; body: { errors?: Array<{ code: string; path: string }> } }> =>
    new Promise((resolve, reject) => {
      const url = new URL(path, s.url);
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method, headers: { authorization: `Bearer ${s.world.adminToken}`, ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('refuses a form-encoded suspend with 415 and appends nothing', async () => {
    const before = await s.logOf(JOB);
    const form = await raw('POST', `/api/v1/jobs/${JOB}/suspend`, { 'content-type': 'application/x-www-form-urlencoded' }, 'reason=pwned');
    expect(form).toEqual({ status: 415, body: { errors: [expect.objectContaining({ code: 'FJC_UNSUPPORTED_MEDIA_TYPE', path: 'Content-Type' })] } });
    const emptyForm = await raw('POST', `/api/v1/jobs/${JOB}/suspend`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(emptyForm.status).toBe(415);
    const textPlain = await raw('POST', `/api/v1/jobs/${JOB}/suspend`, { 'content-type': 'text/plain' }, '{}');
    expect(textPlain.status).toBe(415);
    expect(await s.logOf(JOB)).toEqual(before);
  });

  it('refuses another site\'s page and a rebound host name; answers its own origin', async () => {
    const before = await s.logOf(JOB);
    const evil = await raw('POST', `/api/v1/jobs/${JOB}/suspend`, { origin: 'https://evil.example', 'content-type': 'application/json' }, '{}');
    expect(evil).toEqual({ status: 403, body: { errors: [expect.objectContaining({ code: 'FJC_ORIGIN_NOT_ALLOWED', path: 'Origin' })] } });
    const nullOrigin = await raw('GET', `/api/v1/jobs/${JOB}`, { origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    const crossSite = await raw('POST', `/api/v1/jobs/${JOB}/suspend`, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const rebound = await raw('GET', `/api/v1/jobs/${JOB}`, { host: 'attacker.example:80' });
    expect(rebound).toEqual({ status: 421, body: { errors: [expect.objectContaining({ code: 'FJC_HOST_NOT_ALLOWED', path: 'Host' })] } });
    expect(await s.logOf(JOB)).toEqual(before);
    const own = await raw('GET', `/api/v1/jobs/${JOB}`, { origin: s.url, host: new URL(s.url).host });
    expect(own.status).toBe(200);
    const probe = await raw('GET', '/health/live', { host: '10.1.2.3:8080' });
    expect(probe.status).toBe(200);
  });

  it('sends standard security headers', async () => {
    const res = await s.http(`/api/v1/jobs/${JOB}`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});

describe('suspend, resume, rollback, savepoints', () => {
  const post = (action: string, json?: unknown) => s.http(`/api/v1/jobs/${JOB}/${action}`, { method: 'POST', ...(json === undefined ? {} : { json }) });

  it('appends a version per change and none when nothing changes', async () => {
    expect(await post('suspend', { reason: 'maintenance' })).toMatchObject({ status: 200, body: { version: 4, changed: true } });
    expect(await post('suspend')).toMatchObject({ status: 200, body: { version: 4, changed: false } });
    expect(await post('resume')).toMatchObject({ status: 200, body: { version: 5, changed: true } });
    expect(await post('rollback', { toVersion: 1 })).toMatchObject({ status: 200, body: { version: 6, changed: true } });
    expect(await post('rollback', { toVersion: 9 })).toMatchObject({ status: 400, body: { errors: [{ path: 'toVersion', code: 'FJC_VERSION_NOT_FOUND' }] } });
    expect(await post('rollback', {})).toMatchObject({ status: 400, body: { errors: [{ path: 'toVersion' }] } });
    const savepoint = await post('savepoints', { targetDirectory: 'file:///tmp/fjc-savepoints' });
    expect(savepoint).toMatchObject({ status: 202, body: { jobId: JOB, version: 6, requestId: expect.any(String) } });
  });

  it('keeps every version: the rollback repeats version 1 as version 6', async () => {
    const { body } = await s.http(`/api/v1/jobs/${JOB}/versions`);
    expect(body.versions.map((v: { version: number; type: string }) => [v.version, v.type])).toEqual([
      [1, 'SpecUpdated'],
      [2, 'SpecUpdated'],
      [3, 'SpecUpdated'],
      [4, 'JobSuspendRequested'],
      [5, 'JobResumeRequested'],
      [6, 'JobRolledBack'],
    ]);
    expect(body.versions[5]).toMatchObject({ rolledBackTo: 1, specHash: body.versions[0].specHash });
    const job = await s.http(`/api/v1/jobs/${JOB}`);
    expect(job.body).toMatchObject({ jobId: JOB, version: 6, state: 'CREATED', flinkJobId: null, spec: { deployment: { parallelism: 1 } } });
  });
});

describe('audit trail and feed', () => {
  it('returns the job\'s events in log order as envelopes with actor and correlation id', async () => {
    const { status, body } = await s.http(`/api/v1/jobs/${JOB}/events`);
    expect(status).toBe(200);
    expect(body.events.map((e: { type: string }) => e.type)).toEqual([
      'SpecUpdated',
      'SpecUpdated',
      'SpecUpdated',
      'JobSuspendRequested',
      'JobResumeRequested',
      'JobRolledBack',
      'SavepointRequested',
    ]);
    expect(body.events.map((e: { streamVersion: number }) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(body.events[0]).toMatchObject({
      jobId: JOB,
      streamId: `spec-${JOB}`,
      producer: 'spec-service',
      actor: { kind: 'service', subject: expect.stringMatching(/^token:bootstrap-admin-/), issuer: 'fjc:api-token', tokenId: expect.any(String) },
      correlationId: 'corr-create',
      causationId: null,
    });
    expect(body.events[0].actor.id).toBe(body.events[0].actor.subject);
    expect(body.events[1].actor).toEqual(body.events[0].actor);
    const positions = body.events.map((e: { position: string }) => Number(e.position));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('pages through the global feed by position', async () => {
    // The feed shows an event once every older transaction on the server has ended (the log's
    // rule against skipping late commits), and other tests share this server: wait for it.
    const trail = (await s.http(`/api/v1/jobs/${JOB}/events`)).body.events.map((e: { id: string }) => e.id);
    const first = await eventually('a first page', () => s.http('/api/v1/events?limit=3'), (r) => r.body.events.length === 3);
    const ofJob = (events: { id: string; jobId: string }[]) => events.filter((e) => e.jobId === JOB).map((e) => e.id);
    const rest = await eventually(
      'the rest of the feed',
      () => s.http(`/api/v1/events?after=${first.body.next}&limit=1000`),
      (r) => ofJob([...first.body.events, ...r.body.events]).length >= trail.length,
    );
    const ids = [...first.body.events, ...rest.body.events].map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ofJob([...first.body.events, ...rest.body.events])).toEqual(trail);
    expect(rest.body.next).toBe(rest.body.events.at(-1).position);
    expect(await s.http('/api/v1/events?after=999999')).toMatchObject({ status: 400, body: { errors: [{ path: 'after' }] } });
  });
});

describe('status read model', () => {
  it('shows the lifecycle state the reconciler logged, ignores an older event and dead-letters a forged one', async () => {
    const envelope = (streamVersion: number, to: string, flinkJobId: string | null, flinkVersion?: string) => ({
      id: randomUUID(),
      type: 'LifecycleChanged',
      schemaVersion: 1,
      jobId: JOB,
      streamVersion,
      occurredAt: new Date().toISOString(),
      producer: 'reconciler',
      actor: { kind: 'user' as const, id: 'ann' },
      correlationId: 'corr-create',
      causationId: randomUUID(),
      payload: { from: 'DEPLOYING', to, desiredVersion: 6, deployedVersion: 6, lastStableVersion: 6, flinkJobId, flinkVersion, reason: `now ${to}`, lastError: null, alert: false },
    });
    const flinkJobId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const [deploying, running] = [envelope(1, 'DEPLOYING', null), envelope(2, 'RUNNING', flinkJobId, '2.3.0')];
    // As the reconciler does: appended to its stream; the spec-service's relay publishes them.
    await inTransaction(s.db, (tx) => appendToStream(tx, `reconciler-${JOB}`, 'no-stream', [deploying, running].map(newEventOfEnvelope)));
    const job = await eventually('the job RUNNING', () => s.http(`/api/v1/jobs/${JOB}`), (r) => r.body.state === 'RUNNING', { timeoutMs: 30_000 });
    expect(job.body).toMatchObject({ state: 'RUNNING', flinkJobId, flinkVersion: '2.3.0', lastStableVersion: 6, deployedVersion: 6, lastError: null, reason: 'now RUNNING' });

    // An older event reaching the read model after a newer one changes nothing.
    const stale = await inTransaction(s.db, (tx) => recordLifecycle(tx, LifecycleChangedEvent.parse(deploying)));
    expect(stale).toBe('stale');

    // Written to the topic by someone who cannot write the log: dead-lettered, no effect.
    const producer = s.kafka.producer();
    await producer.connect();
    const forged = envelope(3, 'FAILED', null);
    await producer.send({ topic: `${s.world.topicPrefix}job.lifecycle`, messages: [{ key: JOB, value: JSON.stringify(forged) }] });
    await producer.disconnect();
    const metrics = () => fetch(`${s.service.url}/metrics`).then((r) => r.text());
    await eventually('the forgery dead-lettered', metrics, (m) => /fjc_dead_letters_total\{topic="[^"]*job\.lifecycle",code="FJC_DLQ_NOT_IN_LOG",service="spec-service"\} 1/.test(m));
    expect((await s.http(`/api/v1/jobs/${JOB}`)).body.state).toBe('RUNNING');
  });

  it('lists jobs with their state', async () => {
    const { body } = await s.http(`/api/v1/jobs?q=${JOB}`);
    expect(body.jobs).toEqual(expect.arrayContaining([expect.objectContaining({ jobId: JOB, version: 6, state: 'RUNNING' })]));
    expect(body.next).toBeNull();
  });
});

describe('DELETE /api/v1/jobs/{jobId}', () => {
  it('ends the stream: 202, then 200 unchanged; further changes are 404 until a spec creates the job again, history kept', async () => {
    expect(await s.http(`/api/v1/jobs/${JOB}`, { method: 'DELETE' })).toMatchObject({ status: 202, body: { jobId: JOB, version: 6, changed: true } });
    expect(await s.http(`/api/v1/jobs/${JOB}`, { method: 'DELETE' })).toMatchObject({ status: 200, body: { changed: false } });
    const suspend = await s.http(`/api/v1/jobs/${JOB}/suspend`, { method: 'POST' });
    expect(suspend).toMatchObject({ status: 404, body: { errors: [{ code: 'FJC_JOB_DELETED' }] } });
    expect((await s.http(`/api/v1/jobs/${JOB}`)).body).toMatchObject({ deleted: true, version: 6 });
    expect((await s.http(`/api/v1/jobs?q=${JOB}`)).body.jobs.map((j: { jobId: string }) => j.jobId)).not.toContain(JOB);
    expect((await s.http(`/api/v1/jobs?q=${JOB}&includeDeleted=true`)).body.jobs.map((j: { jobId: string }) => j.jobId)).toContain(JOB);
    expect((await s.logOf(JOB)).at(-1)).toBe('JobDeleteRequested');
    expect((await s.http('/api/v1/jobs/never-was/suspend', { method: 'POST' })).body.errors[0].code).toBe('FJC_JOB_NOT_FOUND');

    // Applied again: the same job id, created anew as the next version; the old history stays.
    expect(await s.http(`/api/v1/jobs/${JOB}`, { method: 'PUT', yaml: streamYaml })).toMatchObject({ status: 201, body: { jobId: JOB, version: 7, changed: true } });
    expect((await s.http(`/api/v1/jobs/${JOB}`)).body).toMatchObject({ deleted: false, version: 7 });
    expect((await s.http(`/api/v1/jobs?q=${JOB}`)).body.jobs.map((j: { jobId: string }) => j.jobId)).toContain(JOB);
    expect((await s.logOf(JOB)).slice(-2)).toEqual(['JobDeleteRequested', 'SpecUpdated']);
    expect((await s.http(`/api/v1/jobs/${JOB}/versions`)).body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('fjc against the running service', () => {
  it('applies the example specs: created, then unchanged; refusals as file: path: message and exit 1', async () => {
    const first = await fjc('apply', 'examples/specs');
    expect(first.stdout.trimEnd().split('\n')).toEqual([
      'nightly-orders-report: version 1 (created)',
      'orders-backfill: version 1 (created)',
      'orders-counter-last-state: version 1 (created)',
      'orders-counter-savepoint: version 1 (created)',
      'orders-counter-secrets: version 1 (created)',
      'orders-counter-stateless: version 1 (created)',
      '6 created',
    ]);
    expect(first.code).toBe(0);
    const again = await fjc('apply', 'examples/specs/stream-savepoint.yaml');
    expect(again.stdout).toBe('orders-counter-savepoint: version 1 (unchanged)\n1 unchanged\n');
    const bad = await fjc('apply', 'tools/cli/fixtures/invalid/fields.yaml', 'examples/specs/batch-once.yaml');
    expect(bad.stdout).toMatch(/^tools\/cli\/fixtures\/invalid\/fields\.yaml: job_id: must be 1 to 63 lowercase letters/);
    expect(bad.stdout.trimEnd().split('\n').slice(-2)).toEqual(['orders-backfill: version 1 (unchanged)', '1 unchanged, 1 rejected']);
    expect(bad.code).toBe(1);
  });

  it('prints the service\'s refusal of a spec as file: path: message (line N), and lists and audits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fjc-apply-'));
    const file = join(dir, 'wide.yaml');
    writeFileSync(file, example('stream-savepoint.yaml').replace('parallelism: 1', 'parallelism: 100000'));
    const run = await fjc('apply', file);
    expect(run.stdout).toBe(`${file}: deployment.parallelism: must be at most 32768, got 100000 (line 10)\n1 rejected\n`);
    expect(run.code).toBe(1);
    rmSync(dir, { recursive: true });
    const list = await fjc('list');
    expect(list.stdout).toMatch(/^orders-counter-savepoint +1 +stream +running +CREATED/m);
    const events = await fjc('events', 'orders-counter-savepoint');
    expect(events.stdout).toMatch(/spec-orders-counter-savepoint@1 +SpecUpdated +service:token:bootstrap-admin-[0-9a-f]{8} /);
  });

  function fjc(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'tools', 'cli', 'bin', 'fjc.js'), ...args], {
        cwd: ROOT,
        env: { ...process.env, FJC_API_URL: s.service.url, FJC_TOKEN: s.world.adminToken },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }
});

describe('docs, probes and metrics', () => {
  it('answers liveness and readiness with its name and checks', async () => {
    expect(await s.http('/health/live')).toMatchObject({ status: 200, body: { status: 'ok', service: 'spec-service' } });
    expect(await s.http('/health/ready')).toMatchObject({ status: 200, body: { ready: true, checks: { postgres: { ok: true }, 'kafka-consumer': { ok: true } } } });
  });

  it('serves the OpenAPI document at /api/docs', async () => {
    const { status, body } = await s.http('/api/docs');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(body.paths['/api/v1/jobs/{jobId}'].put.responses).toHaveProperty('409');
  });

  it('counts applied and rejected specs', async () => {
    const metrics = await (await fetch(`${s.service.url}/metrics`)).text();
    expect(metrics).toMatch(/fjc_specs_applied_total\{source="http",outcome="created",service="spec-service"\} [1-9]/);
    expect(metrics).toMatch(/fjc_specs_rejected_total\{source="http",code="FJC_SPEC_OUT_OF_RANGE",service="spec-service"\} [1-9]/);
    expect(metrics).toMatch(/fjc_spec_commands_total\{source="http",command="suspend",status="unchanged",service="spec-service"\} 1/);
  });
});
