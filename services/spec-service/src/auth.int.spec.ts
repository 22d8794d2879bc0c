// Authentication and authorization of the HTTP API, against a real OpenID provider on loopback
// (oidc-provider, client-credentials grant) and the built spec-service: which tokens are refused
// (401 with WWW-Authenticate), a key rotated at the provider picked up by a JWKS refresh, API
// tokens and their revocation, roles per namespace (403, and 404 for what a caller may not
// see), and the authenticated caller as the actor of every event, whatever X-FJC-Actor says.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import type { Consumer, Producer } from 'kafkajs';
import { parse } from 'yaml';
import { eventually, newApiToken, TestOidcProvider } from '@fjc/testing';
import { apiTokenHash } from './auth/api-tokens';
import { startSpecService, type SpecServiceWorld } from './testing/spec-service-world';

const ROOT = join(__dirname, '..', '..', '..');
const AUDIENCE = 'urn:fjc:test';
const TOKEN_CACHE_S = 2;
const secret = 'a-client-secret-long-enough-for-the-provider-0123456789';
const clients = [
  { id: 'viewer-a', secret, groups: ['fjc-viewers-a'] },
  { id: 'operator-a', secret, groups: ['fjc-operators-a'] },
  { id: 'short-lived', secret, groups: ['fjc-operators-a'], ttl: 2 },
  { id: 'gateway', secret, groups: [] },
];
const stream = parse(readFileSync(join(ROOT, 'examples', 'specs', 'stream-stateless.yaml'), 'utf8')) as Record<string, unknown>;
const spec = (jobId: string, namespace: string) => ({ ...stream, job_id: jobId, namespace });

let idp: TestOidcProvider;
let otherIdp: TestOidcProvider;
let lookAlike: TestOidcProvider;
let s: SpecServiceWorld;
let dir: string;

beforeAll(async () => {
  idp = await TestOidcProvider.start({ audience: AUDIENCE, clients });
  otherIdp = await TestOidcProvider.start({ audience: AUDIENCE, clients });
  // Same issuer name, keys of its own: its tokens name a key id the real issuer never published.
  lookAlike = await TestOidcProvider.start({ audience: AUDIENCE, clients, issuer: idp.issuer });
  dir = mkdtempSync(join(tmpdir(), 'fjc-auth-'));
  const policy = join(dir, 'policy.yaml');
  writeFileSync(
    policy,
    [
      'grants:',
      '  - { group: fjc-viewers-a, role: viewer, namespace: team-a }',
      '  - { group: fjc-operators-a, role: operator, namespace: team-a }',
      '  - { subject: bob, role: operator, namespace: team-b }',
      'impersonators:',
      '  - { subject: gateway }',
    ].join('\n'),
  );
  s = await startSpecService({
    FJC_AUTH_ISSUER: idp.issuer,
    FJC_AUTH_AUDIENCE: AUDIENCE,
    FJC_AUTH_CLOCK_SKEW_S: '0',
    FJC_AUTH_JWKS_COOLDOWN_S: '0',
    FJC_AUTH_TOKEN_CACHE_S: String(TOKEN_CACHE_S),
    FJC_AUTH_POLICY_FILE: policy,
  });
  // Jobs of both namespaces, created as the world's admin.
  for (const [jobId, ns] of [['auth-a', 'team-a'], ['auth-b', 'team-b']]) {
    expect((await s.http(`/api/v1/jobs/${jobId}`, { method: 'PUT', json: spec(jobId, ns) })).status).toBe(201);
  }
});
afterAll(async () => {
  await s?.close();
  await Promise.all([idp, otherIdp, lookAlike].map((p) => p?.stop()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const as = (token: string | null, headers: Record<string, string> = {}) => ({ headers: { authorization: token === null ? '' : `Bearer ${token}`, ...headers } });
/** The built CLI against this world's database, as its owner. */
// Run without blocking the test's event loop: a blocked loop cannot see the service close an
// idle keep-alive connection, and the next request would be sent on the dead socket.
const run = promisify(execFile);
const fjc = (...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> =>
  run(process.execPath, [join(ROOT, 'tools', 'cli', 'bin', 'fjc.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: s.world.db.url } }).then(
    ({ stdout, stderr }) => ({ status: 0, stdout, stderr }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({ status: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }),
  );
const getJob = (jobId: string, token: string | null) => s.http(`/api/v1/jobs/${jobId}`, as(token));

function expectUnauthenticated(res: { status: number; headers: Headers; body: unknown }): void {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="fjc"/);
  expect(res.body).toEqual({ errors: [expect.objectContaining({ code: 'FJC_UNAUTHENTICATED' })] });
}

describe('authentication', () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const table: Array<[string, () => Promise<string | null>]> = [
    ['anonymous', async () => null],
    ['wrong audience', () => idp.token('operator-a', 'urn:someone-else')],
    ['wrong issuer', () => otherIdp.token('operator-a')],
    ['alg none', async () => {
      const [, payload] = (await idp.token('operator-a')).split('.');
      return `${b64({ alg: 'none', typ: 'at+jwt' })}.${payload}.`;
    }],
    ['bad signature', async () => {
      const [header, , signature] = (await idp.token('viewer-a')).split('.');
      return `${header}.${b64({ ...decodeJwt(await idp.token('viewer-a')), groups: ['fjc-operators-a'] })}.${signature}`;
    }],
    ['unknown key id', () => lookAlike.token('operator-a')],
    ['unknown API token', async () => newApiToken()],
    ['not a bearer token', async () => 'Basic'],
  ];
  it.each(table)('%s: 401 with WWW-Authenticate', async (_name, make) => {
    const token = await make();
    expectUnauthenticated(await getJob('auth-a', token));
  });

  it('accepts a token of the issuer', async () => {
    expect((await getJob('auth-a', await idp.token('operator-a'))).status).toBe(200);
  });

  it('expired: 401 once the provider\'s token has run out (clock skew 0)', async () => {
    const token = await idp.token('short-lived');
    expect((await getJob('auth-a', token)).status).toBe(200);
    const exp = Number(decodeJwt(token).exp) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, exp - Date.now()) + 1_100));
    expectUnauthenticated(await getJob('auth-a', token));
  });

  it('a key rotated at the provider is accepted after the JWKS refresh', async () => {
    const before = idp.currentKid;
    expect((await getJob('auth-a', await idp.token('operator-a'))).status).toBe(200);
    await idp.rotateKeys();
    expect(idp.currentKid).not.toBe(before);
    expect((await getJob('auth-a', await idp.token('operator-a'))).status).toBe(200);
  });

  it('fjc token create prints a token once and stores its hash; fjc token revoke: 401 within one cache period', async () => {
    const created = await fjc('token', 'create', '--name', 'ci', '--role', 'viewer', '--namespace', 'team-a');
    expect(created.status).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^fjc_[A-Za-z0-9_-]{43}$/);
    const rows = await s.db.query<{ id: string; token_hash: string }>(`select id::text, token_hash from api_tokens where name = 'ci'`);
    expect(rows.rows).toEqual([{ id: expect.any(String), token_hash: apiTokenHash(token) }]);
    expect((await fjc('token', 'list')).stdout).toMatch(new RegExp(`^${rows.rows[0].id} +ci +viewer +team-a`, 'm'));
    expect((await getJob('auth-a', token)).status).toBe(200);
    expect((await getJob('auth-b', token)).status).toBe(404);
    expect((await fjc('token', 'revoke', rows.rows[0].id)).status).toBe(0);
    const refused = await eventually('the revoked token refused', () => getJob('auth-a', token), (r) => r.status === 401, { timeoutMs: TOKEN_CACHE_S * 1000 + 1_000, intervalMs: 200 });
    expectUnauthenticated(refused);
  });

  it('leaves /health/* open and, by default, /metrics', async () => {
    expect((await fetch(`${s.service.url}/health/ready`)).status).toBe(200);
    expect((await fetch(`${s.service.url}/metrics`)).status).toBe(200);
  });
});

describe('authorization', () => {
  it('viewer PUT: 403, nothing appended', async () => {
    const before = await s.logOf('auth-a');
    const res = await s.http('/api/v1/jobs/auth-a', { method: 'PUT', json: { ...spec('auth-a', 'team-a'), state: 'suspended' }, ...as(await idp.token('viewer-a')) });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ errors: [expect.objectContaining({ code: 'FJC_FORBIDDEN' })] });
    expect(await s.logOf('auth-a')).toEqual(before);
  });

  it('operator of namespace A reading or changing a job of B: 404', async () => {
    const token = await idp.token('operator-a');
    for (const path of ['', '/versions', '/events', '/savepoints']) {
      expect(await s.http(`/api/v1/jobs/auth-b${path}`, as(token))).toMatchObject({ status: 404, body: { errors: [{ code: 'FJC_JOB_NOT_FOUND' }] } });
    }
    expect((await s.http('/api/v1/jobs/auth-b/suspend', { method: 'POST', json: {}, ...as(token) })).status).toBe(404);
    // Taking B's job into A by applying it there is no way in either.
    expect((await s.http('/api/v1/jobs/auth-b', { method: 'PUT', json: spec('auth-b', 'team-a'), ...as(token) })).status).toBe(404);
  });

  it('lists and feeds only what the caller may see', async () => {
    const token = await idp.token('viewer-a');
    const list = await s.http('/api/v1/jobs?limit=1000', as(token));
    expect(list.body).toMatchObject({ next: null });
    expect(list.body.jobs.map((j: { jobId: string }) => j.jobId)).toEqual(['auth-a']);
    const feed = await s.http('/api/v1/events?limit=1000', as(token));
    expect(new Set(feed.body.events.map((e: { jobId: string }) => e.jobId))).toEqual(new Set(['auth-a']));
    // A viewer reads a job's versions and savepoints like its status.
    expect(await s.http('/api/v1/jobs/auth-a/savepoints', as(token))).toMatchObject({ status: 200, body: { jobId: 'auth-a', savepoints: [] } });
    expect((await s.http('/api/v1/jobs/auth-a/versions', as(token))).status).toBe(200);
  });

  it('operator suspends and resumes in its namespace, but may not delete (403) nor move a job out of it', async () => {
    const token = await idp.token('operator-a');
    expect((await s.http('/api/v1/jobs/auth-a/suspend', { method: 'POST', json: { reason: 'test' }, ...as(token) })).status).toBe(200);
    expect((await s.http('/api/v1/jobs/auth-a/resume', { method: 'POST', json: {}, ...as(token) })).status).toBe(200);
    expect(await s.http('/api/v1/jobs/auth-a', { method: 'DELETE', json: {}, ...as(token) })).toMatchObject({ status: 403, body: { errors: [{ code: 'FJC_FORBIDDEN' }] } });
    expect((await s.http('/api/v1/jobs/auth-a', { method: 'PUT', json: spec('auth-a', 'team-b'), ...as(token) })).status).toBe(403);
    expect((await s.http('/api/v1/jobs/auth-new-a', { method: 'PUT', json: spec('auth-new-a', 'team-a'), ...as(token) })).status).toBe(201);
  });
});

describe('the actor', () => {
  it('is the authenticated caller on every event of the request; a spoofed X-FJC-Actor changes nothing', async () => {
    const correlationId = `spoof-${randomUUID()}`;
    const res = await s.http('/api/v1/jobs/auth-a', {
      method: 'PUT',
      json: { ...spec('auth-a', 'team-a'), deployment: { ...(stream.deployment as object), parallelism: 2 } },
      ...as(await idp.token('operator-a'), { 'X-FJC-Actor': 'mallory', 'X-Correlation-Id': correlationId }),
    });
    expect(res.status).toBe(200);
    const events = (await s.http('/api/v1/jobs/auth-a/events')).body.events.filter((e: { correlationId: string }) => e.correlationId === correlationId);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e.actor).toEqual({ kind: 'user', id: 'operator-a', issuer: idp.issuer, subject: 'operator-a', name: 'operator-a' });
    expect(JSON.stringify(events)).not.toContain('mallory');
  });

  it('a service granted impersonation acts on behalf of a user with that user\'s grants; both are recorded', async () => {
    const gateway = await idp.token('gateway');
    const res = await s.http('/api/v1/jobs/auth-b/suspend', { method: 'POST', json: {}, ...as(gateway, { 'X-FJC-On-Behalf-Of': 'bob', 'X-Correlation-Id': 'on-behalf' }) });
    expect(res.status).toBe(200);
    const events = (await s.http('/api/v1/jobs/auth-b/events')).body.events.filter((e: { correlationId: string }) => e.correlationId === 'on-behalf');
    expect(events.map((e: { actor: unknown }) => e.actor)).toEqual([
      { kind: 'user', id: 'bob', issuer: idp.issuer, subject: 'bob', via: { kind: 'user', id: 'gateway', issuer: idp.issuer, subject: 'gateway', name: 'gateway' } },
    ]);
    // Bob's grants, not the gateway's: bob has none in team-a.
    expect((await s.http('/api/v1/jobs/auth-a/suspend', { method: 'POST', json: {}, ...as(gateway, { 'X-FJC-On-Behalf-Of': 'bob' }) })).status).toBe(404);
    // A caller without the grant may not impersonate.
    expect((await s.http('/api/v1/jobs/auth-b/resume', { method: 'POST', json: {}, ...as(await idp.token('operator-a'), { 'X-FJC-On-Behalf-Of': 'bob' }) })).status).toBe(403);
  });
});

describe('upstream commands on Kafka, verified exactly like HTTP', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- results are checked by expect()
  const results: any[] = [];
  const topic = (suffix: string) => `${s.world.topicPrefix}${suffix}`;
  let producer: Producer;
  let consumer: Consumer;
  beforeAll(async () => {
    producer = s.kafka.producer();
    await producer.connect();
    consumer = s.kafka.consumer({ groupId: `auth-int-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: topic('spec.command-results'), fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void results.push(JSON.parse(String(message.value))) });
  });
  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
  });

  async function sendAs(headers: Record<string, string>, command: Record<string, unknown>) {
    const commandId = randomUUID();
    await producer.send({ topic: topic('spec.commands'), messages: [{ key: String(command.jobId), value: JSON.stringify({ commandId, ...command }), headers }] });
    return eventually(`the result of ${commandId}`, async () => results.find((r) => r.commandId === commandId), (r) => r !== undefined, { timeoutMs: 60_000 });
  }

  it('runs a command with an OIDC access token under the caller\'s grants, recorded as the caller', async () => {
    const operator = { authorization: `Bearer ${await idp.token('operator-a')}` };
    const suspended = await sendAs(operator, { type: 'SuspendJob', jobId: 'auth-a' });
    expect(suspended).toMatchObject({ jobId: 'auth-a', status: 'accepted' });
    const [event] = (await s.http('/api/v1/jobs/auth-a/events')).body.events.filter((e: { correlationId: string }) => e.correlationId === suspended.commandId);
    expect(event.actor).toEqual({ kind: 'user', id: 'operator-a', issuer: idp.issuer, subject: 'operator-a', name: 'operator-a' });
    // team-b is not operator-a's to see.
    expect(await sendAs(operator, { type: 'SuspendJob', jobId: 'auth-b' })).toMatchObject({ status: 'rejected', errors: [{ code: 'FJC_JOB_NOT_FOUND' }] });
    // A viewer may not write.
    expect(await sendAs({ authorization: `Bearer ${await idp.token('viewer-a')}` }, { type: 'ResumeJob', jobId: 'auth-a' })).toMatchObject({ status: 'rejected', errors: [{ code: 'FJC_FORBIDDEN' }] });
  });

  it('refuses a token of another issuer and a caller impersonating without the grant, appending nothing', async () => {
    const before = await s.logOf('auth-a');
    expect(await sendAs({ authorization: `Bearer ${await otherIdp.token('operator-a')}` }, { type: 'SuspendJob', jobId: 'auth-a' })).toMatchObject({
      status: 'rejected',
      errors: [{ code: 'FJC_UNAUTHENTICATED', path: 'headers.authorization' }],
    });
    expect(await sendAs({ authorization: `Bearer ${await idp.token('operator-a')}`, 'x-fjc-on-behalf-of': 'bob' }, { type: 'SuspendJob', jobId: 'auth-a' })).toMatchObject({
      status: 'rejected',
      errors: [{ code: 'FJC_FORBIDDEN', path: 'headers.x-fjc-on-behalf-of' }],
    });
    expect(await s.logOf('auth-a')).toEqual(before);
  });

  it('lets a gateway allowed to impersonate send a command on behalf of a user, recording both', async () => {
    const result = await sendAs({ authorization: `Bearer ${await idp.token('gateway')}`, 'x-fjc-on-behalf-of': 'bob' }, { type: 'ResumeJob', jobId: 'auth-b' });
    expect(result).toMatchObject({ status: 'accepted' });
    const [event] = (await s.http('/api/v1/jobs/auth-b/events')).body.events.filter((e: { correlationId: string }) => e.correlationId === result.commandId);
    expect(event.actor).toMatchObject({ kind: 'user', id: 'bob', via: { id: 'gateway' } });
  });
});

describe('credentials in logs', () => {
  it('the request log keeps no bearer token, API or OIDC', async () => {
    const oidc = await idp.token('operator-a');
    expect((await getJob('auth-a', oidc)).status).toBe(200);
    expect((await getJob('auth-a', s.world.adminToken)).status).toBe(200);
    const log = await eventually('the request lines', async () => s.service.logs(1000), (l) => /"authorization":"\[redacted\]"/.test(l));
    expect(log).not.toContain(s.world.adminToken);
    expect(log).not.toContain(oidc);
    expect(log).not.toMatch(/Bearer [A-Za-z0-9_.-]{20,}/);
  });
});
