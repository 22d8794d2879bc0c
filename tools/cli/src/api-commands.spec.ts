// The API commands (apply, get, list, events, suspend, resume, rollback, delete, recover) run in-process
// against a fake spec-service: what they send, what they print, how they exit. The real service
// is exercised by the spec-service's integration tests.
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { LoggedEvent } from '@fjc/contracts';
import { fakeSpecService, fjc, jobSummary as job, SPEC } from './testing/fake-spec-service';

const FIXTURES = join(__dirname, '..', 'fixtures');
const WORKSPACE = join(__dirname, '..', '..', '..');

const fake = fakeSpecService();

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('fjc apply', () => {
  it('sends each file with its media type and the actor, and prints what became of it', async () => {
    fake.answers['PUT /api/v1/jobs/fixture-stream'] = { status: 201, body: { jobId: 'fixture-stream', version: 1, changed: true, warnings: [] } };
    fake.answers['PUT /api/v1/jobs/fixture-batch'] = {
      status: 200,
      body: { jobId: 'fixture-batch', version: 4, changed: false, warnings: [{ path: 'security.artifact_verification', message: 'is false', code: 'FJC_SPEC_ARTIFACT_UNVERIFIED' }] },
    };
    const run = await fjc('apply', join(FIXTURES, 'valid'));
    expect(run.lines).toEqual([
      'fixture-batch: version 4 (unchanged)',
      `${join(FIXTURES, 'valid', 'batch.json')}: warning: security.artifact_verification: is false (line 5)`,
      'fixture-stream: version 1 (created)',
      '1 created, 1 unchanged',
    ]);
    expect(run.code).toBe(0);
    expect(fake.seen.map((s) => [s.url, s.headers['content-type'], s.headers.authorization])).toEqual([
      ['/api/v1/jobs/fixture-batch', 'application/json', 'Bearer fjc_test-token'],
      ['/api/v1/jobs/fixture-stream', 'application/yaml', 'Bearer fjc_test-token'],
    ]);
  });

  it('prints the service\'s errors as file: path: message with the line, and exits 1', async () => {
    fake.answers['PUT /api/v1/jobs/fixture-batch'] = {
      status: 400,
      body: { errors: [{ path: 'batch_config.timezone', message: 'is not a time zone', code: 'FJC_SPEC_INVALID_TIMEZONE' }] },
    };
    const file = join(FIXTURES, 'valid', 'batch.json');
    const run = await fjc('apply', file);
    expect(run.lines).toEqual([`${file}: batch_config.timezone: is not a time zone (line 6)`, '1 rejected']);
    expect(run.code).toBe(1);
  });

  it('passes --if-match and reports a conflict', async () => {
    fake.answers['PUT /api/v1/jobs/fixture-batch'] = {
      status: 409,
      body: { errors: [{ path: 'If-Match', message: 'expected version 1, but the current version is 2', code: 'FJC_VERSION_CONFLICT' }] },
    };
    const file = join(FIXTURES, 'valid', 'batch.json');
    const run = await fjc('apply', '--if-match', '1', file);
    expect(fake.seen[0].headers['if-match']).toBe('1');
    expect(run.lines[0]).toBe(`${file}: If-Match: expected version 1, but the current version is 2`);
    expect(run.code).toBe(1);
  });

  it('reports a file without a usable job id from local validation, without sending it', async () => {
    const file = join(FIXTURES, 'invalid', 'fields.yaml');
    const run = await fjc('apply', file, join(FIXTURES, 'invalid', 'syntax.yaml'));
    expect(run.lines[0]).toMatch(/fields\.yaml: job_id: must be 1 to 63 lowercase letters/);
    expect(run.lines.at(-1)).toBe('2 rejected');
    expect(fake.seen).toEqual([]);
    expect(run.code).toBe(1);
  });

  it('exits 69 with a readable message when the service cannot be reached', async () => {
    const saved = process.env.FJC_API_URL;
    const port = await closedPort();
    process.env.FJC_API_URL = `http://127.0.0.1:${port}`;
    try {
      const run = await fjc('apply', join(WORKSPACE, 'examples', 'specs', 'stream-stateless.yaml'));
      expect(run.stderr).toMatch(new RegExp(`^fjc: cannot reach the spec-service at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
      expect(run.code).toBe(69);
    } finally {
      process.env.FJC_API_URL = saved;
    }
  });
});

describe('fjc get, list, events', () => {
  it('shows one job', async () => {
    fake.answers['GET /api/v1/jobs/orders'] = { status: 200, body: { ...job('orders'), specHash: 'sha256:00', spec: SPEC, createdAt: '2025-01-01T00:00:00.000Z' } };
    const run = await fjc('get', 'orders');
    expect(run.lines).toEqual([
      'job:                 orders',
      'version:             3 (stream, desired running)',
      'state:               RUNNING',
      'restarts:            -',
      'flink job id:        a1b2c3d4e5f60718293a4b5c6d7e8f90',
      'flink version:       2.3.0',
      'deployed version:    3',
      'last stable version: 2',
      'failed version:      -',
      'last error:          -',
      'reason:              deployed',
      'spec hash:           sha256:00',
      'updated:             2025-01-01T00:00:00.000Z',
    ]);
    expect(run.code).toBe(0);
  });

  it('shows a rolled-back job with the failed version and why, and a candidate with its restarts', async () => {
    const lastError = { code: 'FJC_STABILITY_TOO_MANY_RESTARTS', message: 'version 3 restarted 4 times (at most 3)' };
    fake.answers['GET /api/v1/jobs/orders'] = {
      status: 200,
      body: { ...job('orders', { state: 'ROLLED_BACK', deployedVersion: 2, failedVersion: 3, restarts: 0, candidate: false, lastError }), specHash: 'sha256:00', spec: SPEC, createdAt: '2025-01-01T00:00:00.000Z' },
    };
    const rolledBack = await fjc('get', 'orders');
    expect(rolledBack.lines).toEqual(
      expect.arrayContaining([
        'state:               ROLLED_BACK (failed version 3: FJC_STABILITY_TOO_MANY_RESTARTS: version 3 restarted 4 times (at most 3))',
        'restarts:            0',
        'failed version:      failed version 3: FJC_STABILITY_TOO_MANY_RESTARTS: version 3 restarted 4 times (at most 3)',
      ]),
    );
    fake.answers['GET /api/v1/jobs/orders'] = { status: 200, body: { ...job('orders', { state: 'RESTARTING', restarts: 2, candidate: true, failedVersion: null }), specHash: 'sha256:00', spec: SPEC, createdAt: '2025-01-01T00:00:00.000Z' } };
    const candidate = await fjc('get', 'orders');
    expect(candidate.lines).toEqual(expect.arrayContaining(['state:               RESTARTING (candidate: stability gates not passed yet)', 'restarts:            2']));
  });

  it('lists savepoints newest first as a table, disposed ones with their time; --json prints them', async () => {
    const savepoint = (path: string, version: number, origin: string, takenAt: string, disposedAt: string | null) => ({
      path,
      version,
      specHash: `sha256:${'a'.repeat(64)}`,
      flinkJobId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      takenAt,
      origin,
      disposedAt,
    });
    const savepoints = [
      savepoint('file:///sp/savepoint-2', 2, 'upgrade', '2026-01-01T11:00:00.000Z', null),
      savepoint('file:///sp/savepoint-1', 1, 'triggered', '2026-01-01T10:00:00.000Z', '2026-01-02T00:00:00.000Z'),
    ];
    fake.answers['GET /api/v1/jobs/orders/savepoints'] = { status: 200, body: { jobId: 'orders', savepoints } };
    const run = await fjc('savepoints', 'orders');
    expect(run.lines).toEqual([
      'VERSION  ORIGIN     TAKEN AT                  PATH                    DISPOSED',
      '2        upgrade    2026-01-01T11:00:00.000Z  file:///sp/savepoint-2  -',
      '1        triggered  2026-01-01T10:00:00.000Z  file:///sp/savepoint-1  2026-01-02T00:00:00.000Z',
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse((await fjc('savepoints', 'orders', '--json')).stdout)).toEqual(savepoints);
    fake.answers['GET /api/v1/jobs/orders/savepoints'] = { status: 200, body: { jobId: 'orders', savepoints: [] } };
    expect((await fjc('savepoints', 'orders')).stdout).toBe('orders: no savepoints recorded\n');
    fake.answers['GET /api/v1/jobs/nope/savepoints'] = { status: 404, body: { errors: [{ path: '', message: 'job nope does not exist', code: 'FJC_JOB_NOT_FOUND' }] } };
    expect(await fjc('savepoints', 'nope')).toMatchObject({ code: 1, stderr: 'nope: job nope does not exist\n' });
  });

  it('names an unknown job on stderr and exits 1', async () => {
    fake.answers['GET /api/v1/jobs/nope'] = { status: 404, body: { errors: [{ path: '', message: 'job nope does not exist', code: 'FJC_JOB_NOT_FOUND' }] } };
    const run = await fjc('get', 'nope');
    expect(run.stderr).toBe('nope: job nope does not exist\n');
    expect(run.code).toBe(1);
  });

  it('on a 401 says where it looks for a token', async () => {
    fake.answers['GET /api/v1/jobs?limit=1000'] = { status: 401, body: { errors: [{ path: '', message: 'the API token is unknown or revoked', code: 'FJC_UNAUTHENTICATED' }] } };
    const run = await fjc('list');
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('the API token is unknown or revoked (the token was refused; set FJC_TOKEN or FJC_TOKEN_FILE, see the README)');
    expect(fake.seen[0].headers.authorization).toBe('Bearer fjc_test-token');
  });

  it('lists jobs as a table, deleted ones with --all', async () => {
    fake.answers['GET /api/v1/jobs?limit=1000&includeDeleted=true'] = {
      status: 200,
      body: { jobs: [job('orders'), job('old', { deleted: true, state: 'DELETED', flinkJobId: null, lastError: { code: 'FJC_X', message: 'm' } })], next: null },
    };
    const run = await fjc('list', '--all');
    expect(run.lines).toEqual([
      'JOB ID  VERSION  TYPE    DESIRED  STATE    FLINK JOB ID                      LAST ERROR',
      'orders  3        stream  running  RUNNING  a1b2c3d4e5f60718293a4b5c6d7e8f90  -',
      'old     3        stream  deleted  DELETED  -                                 FJC_X',
    ]);
  });

  it('follows next through every page, each job once', async () => {
    fake.answers['GET /api/v1/jobs?limit=1000'] = { status: 200, body: { jobs: [job('a'), job('b')], next: 'c1' } };
    fake.answers['GET /api/v1/jobs?limit=1000&cursor=c1'] = { status: 200, body: { jobs: [job('c')], next: 'c2' } };
    fake.answers['GET /api/v1/jobs?limit=1000&cursor=c2'] = { status: 200, body: { jobs: [job('d')], next: null } };
    const run = await fjc('list', '--json');
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Array<{ jobId: string }>).map((j) => j.jobId)).toEqual(['a', 'b', 'c', 'd']);
    expect(fake.seen.map((r) => r.url)).toEqual(['/api/v1/jobs?limit=1000', '/api/v1/jobs?limit=1000&cursor=c1', '/api/v1/jobs?limit=1000&cursor=c2']);
  });

  it('prints the audit trail in order with actor and correlation id', async () => {
    const event = (position: string, streamId: string, type: string, actor: LoggedEvent['actor']): LoggedEvent => ({
      id: `00000000-0000-4000-8000-${position.padStart(12, '0')}`,
      schemaVersion: 1,
      type,
      jobId: 'orders',
      streamId,
      streamVersion: 1,
      position,
      occurredAt: '2025-01-01T00:00:00.000Z',
      producer: 'x',
      actor,
      correlationId: 'c-1',
      causationId: null,
      payload: {},
    });
    fake.answers['GET /api/v1/jobs/orders/events'] = {
      status: 200,
      body: { jobId: 'orders', events: [event('7', 'spec-orders', 'SpecUpdated', { kind: 'user', id: 'ann' }), { ...event('9', 'reconciler-orders', 'ActionRequested', { kind: 'user', id: 'ann' }), traceId: '0af7651916cd43dd8448eb211c80319c' }] },
    };
    const run = await fjc('events', 'orders');
    expect(run.lines).toEqual([
      'POSITION  TIME                      STREAM               TYPE             ACTOR     CORRELATION ID  TRACE ID',
      '7         2025-01-01T00:00:00.000Z  spec-orders@1        SpecUpdated      user:ann  c-1             -',
      '9         2025-01-01T00:00:00.000Z  reconciler-orders@1  ActionRequested  user:ann  c-1             0af7651916cd43dd8448eb211c80319c',
    ]);
  });
});

describe('fjc suspend, resume, rollback, delete', () => {
  const change = (version: number, changed: boolean) => ({ status: 200, body: { jobId: 'orders', version, changed } });
  const rolledBack = (version: number) => ({ status: 200, body: { jobId: 'orders', version, changed: true, warnings: [] } });

  it.each([
    [['suspend', 'orders', '--reason', 'maintenance'], 'POST /api/v1/jobs/orders/suspend', { reason: 'maintenance' }, change(4, true), 'orders: suspended as version 4'],
    [['suspend', 'orders'], 'POST /api/v1/jobs/orders/suspend', undefined, change(4, false), 'orders: already suspended (version 4)'],
    [['resume', 'orders'], 'POST /api/v1/jobs/orders/resume', undefined, change(5, true), 'orders: resumed as version 5'],
    [['rollback', 'orders', '2'], 'POST /api/v1/jobs/orders/rollback', { toVersion: 2 }, rolledBack(6), 'orders: rolled back to version 2 as version 6'],
    [['rollback', 'orders', '--to', '2'], 'POST /api/v1/jobs/orders/rollback', { toVersion: 2 }, rolledBack(6), 'orders: rolled back to version 2 as version 6'],
    [['rollback', 'orders', '--to', '2', '--savepoint', 'file:///sp/savepoint-2'], 'POST /api/v1/jobs/orders/rollback', { toVersion: 2, savepointPath: 'file:///sp/savepoint-2' }, rolledBack(6), 'orders: rolled back to version 2 as version 6'],
    [['delete', 'orders'], 'DELETE /api/v1/jobs/orders', undefined, { status: 202, body: { jobId: 'orders', version: 6, changed: true } }, 'orders: deletion requested (last version 6)'],
  ])('fjc %j', async (args, route, body, answer, line) => {
    fake.answers[route] = answer;
    const run = await fjc(...args);
    expect(run.stdout).toBe(`${line}\n`);
    expect(run.code).toBe(0);
    expect(fake.seen[0].body === '' ? undefined : JSON.parse(fake.seen[0].body)).toEqual(body);
  });

  it('prints a rollback\'s warnings after its line', async () => {
    const warnings = [{ path: 'toVersion', code: 'FJC_ROLLBACK_NO_SAVEPOINT', message: 'no savepoint of version 2 is recorded' }];
    fake.answers['POST /api/v1/jobs/orders/rollback'] = { status: 200, body: { jobId: 'orders', version: 6, changed: true, warnings } };
    const run = await fjc('rollback', 'orders', '2');
    expect(run.lines).toEqual(['orders: rolled back to version 2 as version 6', 'orders: warning: FJC_ROLLBACK_NO_SAVEPOINT: no savepoint of version 2 is recorded']);
    expect(run.code).toBe(0);
  });

  it('reports a refusal on stderr with exit 1', async () => {
    fake.answers['POST /api/v1/jobs/orders/rollback'] = {
      status: 400,
      body: { errors: [{ path: 'toVersion', message: 'must be an existing version (1 to 3), got 9', code: 'FJC_VERSION_NOT_FOUND' }] },
    };
    const run = await fjc('rollback', 'orders', '9');
    expect(run.stderr).toBe('orders: toVersion: must be an existing version (1 to 3), got 9\n');
    expect(run.code).toBe(1);
  });

  it('refuses a rollback without a version, or with two different ones, as a usage error', async () => {
    for (const args of [['rollback', 'orders'], ['rollback', 'orders', '2', '--to', '3']]) {
      const run = await fjc(...args);
      expect(run).toMatchObject({ code: 2, stderr: 'fjc rollback: give the version to go back to once, as VERSION or --to VERSION\n' });
    }
    expect(fake.seen).toEqual([]);
  });

  it('refuses a version that is not a number as a usage error', async () => {
    const run = await fjc('rollback', 'orders', 'two');
    expect(run.stderr).toContain("value 'two' is invalid for argument 'toVersion'. must be a spec version (1, 2, ...)");
    expect(run.code).toBe(2);
  });
});

describe('fjc recover', () => {
  const recorded = { status: 202, body: { jobId: 'orders', version: 3, requestId: '6c8e2f4a-1b3d-4e5f-8a9b-0c1d2e3f4a5b' } };

  it.each([
    [['recover', 'orders', '--empty-state'], { from: { kind: 'empty-state' } }, 'with empty state'],
    [['recover', 'orders', '--from-savepoint', 'file:///sp/savepoint-1'], { from: { kind: 'savepoint', path: 'file:///sp/savepoint-1' } }, 'from savepoint file:///sp/savepoint-1'],
  ])('fjc %j sends the decision as JSON, with the caller token', async (args, body, what) => {
    fake.answers['POST /api/v1/jobs/orders/recover'] = recorded;
    const run = await fjc(...args);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`starts ${what}`);
    expect(JSON.parse(fake.seen[0].body)).toEqual(body);
    expect(fake.seen[0].headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer fjc_test-token' });
  });

  it('needs exactly one of --from-savepoint and --empty-state', async () => {
    for (const args of [['recover', 'orders'], ['recover', 'orders', '--empty-state', '--from-savepoint', 'file:///sp/1']]) {
      const run = await fjc(...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('exactly one of --from-savepoint PATH or --empty-state');
    }
    expect(fake.seen).toEqual([]);
  });
});
