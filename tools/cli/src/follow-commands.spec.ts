// apply --wait, history, diff, exceptions, watch, -o json|yaml and completion, run in-process
// against a fake spec-service: what they read, what they print, how they exit.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { JobSummary, LoggedEvent, SpecVersionView } from '@fjc/contracts';
import { fakeSpecService, fjc, jobSummary, jobView, SPEC, type Answer } from './testing/fake-spec-service';
import { fjcProgram } from './program';

const FIXTURES = join(__dirname, '..', 'fixtures');
const STREAM_FILE = join(FIXTURES, 'valid', 'stream.yaml');
const fake = fakeSpecService();

/** The job's statuses in turn, one per read; the last one repeats. */
function statuses(jobId: string, ...steps: Array<Partial<JobSummary>>): (seen: unknown) => Answer {
  let i = 0;
  return () => ({ status: 200, body: jobView(jobId, steps[Math.min(i++, steps.length - 1)]) });
}

const applied = (version: number, status = 200) => ({ status, body: { jobId: 'fixture-stream', version, changed: true, warnings: [] } });
const FAST = ['--poll-interval', '1ms'];

describe('fjc apply --wait', () => {
  it('prints a line per status change and exits 0 once the version is stable', async () => {
    fake.answers['PUT /api/v1/jobs/fixture-stream'] = applied(4);
    fake.answers['GET /api/v1/jobs/fixture-stream'] = statuses(
      'fixture-stream',
      { version: 4, desiredVersion: 3, deployedVersion: 3, lastStableVersion: 3, reason: 'deployed' },
      { version: 4, desiredVersion: 4, state: 'UPGRADING', deployedVersion: 3, lastStableVersion: 3, reason: 'upgrading to version 4' },
      { version: 4, desiredVersion: 4, state: 'UPGRADING', deployedVersion: 3, lastStableVersion: 3, reason: 'upgrading to version 4' },
      { version: 4, desiredVersion: 4, state: 'RUNNING', candidate: true, flinkJobId: 'ffff0000ffff0000ffff0000ffff0000', deployedVersion: 4, lastStableVersion: 3, reason: 'running' },
      { version: 4, desiredVersion: 4, state: 'RUNNING', flinkJobId: 'ffff0000ffff0000ffff0000ffff0000', deployedVersion: 4, lastStableVersion: 4, reason: 'stability gates passed' },
    );
    const run = await fjc('apply', STREAM_FILE, '--wait', ...FAST);
    expect(run.lines).toEqual([
      'fixture-stream: version 4 (updated)',
      '1 updated',
      'fixture-stream: RUNNING, version 3 deployed, flink job a1b2c3d4e5f60718293a4b5c6d7e8f90: deployed',
      'fixture-stream: UPGRADING, version 3 deployed, flink job a1b2c3d4e5f60718293a4b5c6d7e8f90: upgrading to version 4',
      'fixture-stream: RUNNING (candidate), version 4 deployed, flink job ffff0000ffff0000ffff0000ffff0000: running',
      'fixture-stream: RUNNING, version 4 deployed, flink job ffff0000ffff0000ffff0000ffff0000: stability gates passed',
      'fixture-stream: version 4 is stable (RUNNING, flink job ffff0000ffff0000ffff0000ffff0000)',
    ]);
    expect(run.code).toBe(0);
  });

  it('exits 1 with the reason when the version is rolled back', async () => {
    const lastError = { code: 'FJC_STABILITY_TOO_MANY_RESTARTS', message: 'version 4 restarted 4 times (at most 3)' };
    fake.answers['PUT /api/v1/jobs/fixture-stream'] = applied(4);
    fake.answers['GET /api/v1/jobs/fixture-stream'] = statuses(
      'fixture-stream',
      { version: 4, desiredVersion: 4, state: 'RESTARTING', candidate: true, deployedVersion: 4, reason: 'restarting' },
      { version: 4, desiredVersion: 4, state: 'ROLLED_BACK', deployedVersion: 3, lastStableVersion: 3, failedVersion: 4, lastError, reason: 'rolled back to version 3' },
    );
    const run = await fjc('apply', STREAM_FILE, '--wait', ...FAST);
    expect(run.lines.at(-1)).toBe('fixture-stream: ROLLED_BACK, version 3 deployed, flink job a1b2c3d4e5f60718293a4b5c6d7e8f90: rolled back to version 3 [FJC_STABILITY_TOO_MANY_RESTARTS]');
    expect(run.stderr).toBe('fixture-stream: failed: version 4 failed (ROLLED_BACK, last stable version 3): FJC_STABILITY_TOO_MANY_RESTARTS: version 4 restarted 4 times (at most 3)\n');
    expect(run.code).toBe(1);
  });

  it('exits 1 on a FAILED first version, and does not take an older FAILED status for it', async () => {
    const lastError = { code: 'FJC_FLINK_PROGRAM_INVALID', message: 'class com.example.Nope not found' };
    fake.answers['PUT /api/v1/jobs/fixture-stream'] = applied(2);
    fake.answers['GET /api/v1/jobs/fixture-stream'] = statuses(
      'fixture-stream',
      { version: 2, desiredVersion: 1, state: 'FAILED', deployedVersion: null, lastStableVersion: null, flinkJobId: null, lastError: { code: 'FJC_X', message: 'old' }, reason: 'v1 failed' },
      { version: 2, desiredVersion: 2, state: 'DEPLOYING', deployedVersion: null, lastStableVersion: null, flinkJobId: null, reason: 'deploying' },
      { version: 2, desiredVersion: 2, state: 'FAILED', deployedVersion: null, lastStableVersion: null, flinkJobId: null, lastError, reason: 'the deploy failed' },
    );
    const run = await fjc('apply', STREAM_FILE, '--wait', ...FAST);
    expect(run.stderr).toBe('fixture-stream: failed: version 2 failed (FAILED): FJC_FLINK_PROGRAM_INVALID: class com.example.Nope not found\n');
    expect(run.lines.filter((l) => l.includes('FAILED'))).toHaveLength(2);
    expect(run.code).toBe(1);
  });

  it('exits 124 when the timeout runs out first, naming the state it was in', async () => {
    fake.answers['PUT /api/v1/jobs/fixture-stream'] = applied(4);
    fake.answers['GET /api/v1/jobs/fixture-stream'] = statuses('fixture-stream', { version: 4, desiredVersion: 4, state: 'DEPLOYING', reason: 'deploying' });
    const run = await fjc('apply', STREAM_FILE, '--wait', '--timeout', '50ms', '--poll-interval', '10ms');
    expect(run.stderr).toBe('fixture-stream: timeout: version 4 was not done within the timeout (state DEPLOYING)\n');
    expect(run.code).toBe(124);
  });

  it('is done for a batch run when it FINISHED, for a cron batch when SCHEDULED, for a suspended spec when SUSPENDED', async () => {
    const batch = { job_id: 'fixture-stream', job_type: 'batch', artifact_path: 'jobs/b.jar', batch_config: {} };
    const cron = { ...batch, batch_config: { cron: '0 * * * *' } };
    const cases: Array<[Record<string, unknown>, Partial<JobSummary>, Partial<JobSummary>, string]> = [
      [batch, { jobType: 'batch', state: 'RUNNING', deployedVersion: 4 }, { jobType: 'batch', state: 'FINISHED', deployedVersion: 4 }, 'version 4 finished (flink job a1b2c3d4e5f60718293a4b5c6d7e8f90)'],
      [cron, { jobType: 'batch', state: 'CREATED' }, { jobType: 'batch', state: 'SCHEDULED' }, 'version 4 is scheduled'],
      [SPEC, { desiredState: 'suspended', state: 'SUSPENDING' }, { desiredState: 'suspended', state: 'SUSPENDED' }, 'version 4 is suspended'],
    ];
    for (const [spec, before, after, message] of cases) {
      let reads = 0;
      fake.answers['PUT /api/v1/jobs/fixture-stream'] = applied(4);
      fake.answers['GET /api/v1/jobs/fixture-stream'] = () => ({ status: 200, body: jobView('fixture-stream', { version: 4, desiredVersion: 4, ...(reads++ === 0 ? before : after) }, spec) });
      const run = await fjc('apply', STREAM_FILE, '--wait', ...FAST);
      expect(run.lines.at(-1)).toBe(`fixture-stream: ${message}`);
      expect(run.code).toBe(0);
    }
  });

  it('with -o json prints only the results on stdout, the progress on stderr', async () => {
    fake.answers['PUT /api/v1/jobs/fixture-stream'] = applied(3);
    fake.answers['GET /api/v1/jobs/fixture-stream'] = statuses('fixture-stream', { lastStableVersion: 3 });
    const run = await fjc('apply', STREAM_FILE, '--wait', '-o', 'json', ...FAST);
    const out = JSON.parse(run.stdout);
    expect(out.results).toEqual([
      expect.objectContaining({ file: STREAM_FILE, outcome: 'updated', jobId: 'fixture-stream', version: 3, wait: expect.objectContaining({ outcome: 'stable', job: expect.objectContaining({ state: 'RUNNING' }) }) }),
    ]);
    expect(run.stderr).toContain('fixture-stream: version 3 (updated)\n');
    expect(run.code).toBe(0);
  });

  it('refuses --timeout without --wait, and a timeout that is not a duration', async () => {
    expect(await fjc('apply', STREAM_FILE, '--timeout', '5m')).toMatchObject({ code: 2, stderr: 'fjc: --timeout is for --wait\n' });
    const bad = await fjc('apply', STREAM_FILE, '--wait', '--timeout', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('must be a duration such as 30s, 10m or 1h');
    expect(fake.seen).toEqual([]);
  });
});

const version = (n: number, type: SpecVersionView['type'], spec: Record<string, unknown>, extra: Partial<SpecVersionView> = {}) => ({
  version: n,
  type,
  specHash: `sha256:${String(n).repeat(64).slice(0, 64)}`,
  spec,
  occurredAt: `2026-01-0${n}T00:00:00.000Z`,
  actor: { kind: 'user', id: 'ann' },
  correlationId: `c-${n}`,
  eventId: `00000000-0000-4000-8000-00000000000${n}`,
  ...extra,
});
const V1 = { ...SPEC, deployment: { parallelism: 1 }, labels: { team: 'a' } };
const V2 = { ...SPEC, deployment: { parallelism: 4 }, labels: { team: 'a', tier: 'gold' } };

describe('fjc history and diff', () => {
  beforeEach(() => {
    fake.answers['GET /api/v1/jobs/orders/versions'] = {
      status: 200,
      body: { jobId: 'orders', deleted: false, versions: [version(1, 'SpecUpdated', V1), version(2, 'SpecUpdated', V2), version(3, 'JobRolledBack', V1, { rolledBackTo: 1, actor: { kind: 'service', id: 'ci' } })] },
    };
  });

  it('lists the versions with event, time, actor, hash and rollback target', async () => {
    const run = await fjc('history', 'orders');
    expect(run.lines).toEqual([
      'VERSION  EVENT          WHEN                      ACTOR       SPEC HASH     ROLLED BACK TO',
      '1        SpecUpdated    2026-01-01T00:00:00.000Z  user:ann    sha256:11111  -',
      '2        SpecUpdated    2026-01-02T00:00:00.000Z  user:ann    sha256:22222  -',
      '3        JobRolledBack  2026-01-03T00:00:00.000Z  service:ci  sha256:33333  1',
    ]);
    expect(run.code).toBe(0);
    const yaml = parseYaml((await fjc('history', 'orders', '-o', 'yaml')).stdout) as { versions: Array<{ version: number; rolledBackTo?: number }> };
    expect(yaml.versions.map((v) => [v.version, v.rolledBackTo])).toEqual([[1, undefined], [2, undefined], [3, 1]]);
  });

  it('diffs two versions field by field, both ways, and as JSON', async () => {
    const run = await fjc('diff', 'orders', '1', '2');
    expect(run.lines).toEqual(['PATH                    OLD  NEW', 'deployment.parallelism  1    4', 'labels.tier             -    gold']);
    expect(run.code).toBe(0);
    const back = JSON.parse((await fjc('diff', 'orders', '2', '3', '-o', 'json')).stdout);
    expect(back).toEqual({
      jobId: 'orders',
      from: 2,
      to: 3,
      changes: [
        { path: 'deployment.parallelism', change: 'changed', old: 4, new: 1 },
        { path: 'labels.tier', change: 'removed', old: 'gold' },
      ],
    });
    expect((await fjc('diff', 'orders', '1', '3')).stdout).toBe('orders: versions 1 and 3 have the same spec\n');
  });

  it('names a version the job does not have, and exits 1', async () => {
    const run = await fjc('diff', 'orders', '1', '7');
    expect(run).toMatchObject({ code: 1, stderr: 'orders: FJC_VERSION_NOT_FOUND: no version 7 (the job has versions 1, 2, 3)\n' });
  });
});

describe('fjc exceptions', () => {
  it('lists the recorded Flink exceptions newest first, one line each; -o json prints the answer', async () => {
    const exception = (timestamp: string, name: string, message: string, version: number | null) => ({
      flinkJobId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      exceptionId: `${name}-${timestamp}`,
      timestamp,
      rootCause: { name, message },
      taskName: 'Map (1/1)',
      location: 'localhost:6122',
      version,
      observedAt: timestamp,
      position: '12',
    });
    const body = { jobId: 'orders', exceptions: [exception('2026-01-02T00:00:00.000Z', 'java.io.IOException', 'sink closed\nCaused by: x', 2), exception('2026-01-01T00:00:00.000Z', 'E', 'm', null)] };
    fake.answers['GET /api/v1/jobs/orders/exceptions'] = { status: 200, body };
    const run = await fjc('exceptions', 'orders');
    expect(run.lines).toEqual([
      'TIME                      VERSION  FLINK JOB ID                      TASK       LOCATION        EXCEPTION',
      '2026-01-02T00:00:00.000Z  2        a1b2c3d4e5f60718293a4b5c6d7e8f90  Map (1/1)  localhost:6122  java.io.IOException: sink closed | Caused by: x',
      '2026-01-01T00:00:00.000Z  -        a1b2c3d4e5f60718293a4b5c6d7e8f90  Map (1/1)  localhost:6122  E: m',
    ]);
    expect(JSON.parse((await fjc('exceptions', 'orders', '-o', 'json')).stdout)).toEqual(body);
    fake.answers['GET /api/v1/jobs/orders/exceptions'] = { status: 200, body: { jobId: 'orders', exceptions: [] } };
    expect((await fjc('exceptions', 'orders')).stdout).toBe('orders: no Flink exceptions recorded\n');
    fake.answers['GET /api/v1/jobs/nope/exceptions'] = { status: 404, body: { errors: [{ path: '', message: 'job nope does not exist', code: 'FJC_JOB_NOT_FOUND' }] } };
    expect(await fjc('exceptions', 'nope')).toMatchObject({ code: 1, stderr: 'nope: job nope does not exist\n' });
  });
});

describe('fjc watch', () => {
  const event = (position: string, jobId: string, type: string, payload: Record<string, unknown> = {}): LoggedEvent => ({
    id: `00000000-0000-4000-8000-${position.padStart(12, '0')}`,
    schemaVersion: 1,
    type,
    jobId,
    streamId: `reconciler-${jobId}`,
    streamVersion: 1,
    position,
    occurredAt: '2026-01-01T00:00:00.000Z',
    producer: 'reconciler',
    actor: { kind: 'service', id: 'reconciler' },
    correlationId: 'c-1',
    causationId: null,
    payload,
  });

  const frames = (...events: LoggedEvent[]) => events.map((e) => `id: ${e.position}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join('');

  it("prints the job's new events from the stream, status changes as from -> to, resumes a dropped stream after the last event, until SIGINT, exit 0", async () => {
    fake.answers['GET /api/v1/jobs/orders'] = { status: 200, body: jobView('orders') };
    let connections = 0;
    fake.answers['GET /api/v1/stream?jobId=orders'] = () => {
      connections += 1;
      if (connections === 1) return { status: 200, sse: `retry: 10\n: heartbeat\n\n${frames(event('7', 'orders', 'LifecycleChanged', { from: 'DEPLOYING', to: 'RUNNING', flinkJobId: 'ab'.repeat(16), reason: 'running' }))}` };
      if (connections === 2) return { status: 200, sse: frames(event('8', 'orders', 'ActionRequested')) };
      // The third connection: everything before it was printed; the user presses Ctrl-C.
      setImmediate(() => process.emit('SIGINT'));
      return { status: 200, sse: '' };
    };
    const run = await fjc('watch', 'orders');
    expect(run.lines).toEqual([
      `7  2026-01-01T00:00:00.000Z  orders  LifecycleChanged  DEPLOYING -> RUNNING (flink job ${'ab'.repeat(16)}): running`,
      '8  2026-01-01T00:00:00.000Z  orders  ActionRequested  by service:reconciler',
    ]);
    const streams = fake.seen.filter((s) => s.url.startsWith('/api/v1/stream'));
    expect(streams.map((s) => s.headers['last-event-id'])).toEqual([undefined, '7', '8']);
    expect(streams[0].headers.authorization).toBe('Bearer fjc_test-token');
    expect(run.stderr).toBe('watching orders from now; Ctrl-C to stop\n');
    expect(run.code).toBe(0);
  });

  it('for all jobs after a position; -o json prints one event per line', async () => {
    let connections = 0;
    fake.answers['GET /api/v1/stream?after=1'] = () => {
      connections += 1;
      if (connections === 1) return { status: 200, sse: frames(event('2', 'a', 'SpecUpdated'), event('3', 'b', 'SpecUpdated')) };
      setImmediate(() => process.emit('SIGINT'));
      return { status: 200, sse: '' };
    };
    const run = await fjc('watch', '-o', 'json', '--after', '1', '--reconnect-delay', '1ms');
    expect(run.lines.map((l) => (JSON.parse(l) as LoggedEvent).position)).toEqual(['2', '3']);
    expect(run.code).toBe(0);
  });

  it('an unknown job, or a refused stream, exits 1 with the reason', async () => {
    fake.answers['GET /api/v1/jobs/nope'] = { status: 404, body: { errors: [{ path: '', message: 'job nope does not exist', code: 'FJC_JOB_NOT_FOUND' }] } };
    expect(await fjc('watch', 'nope')).toMatchObject({ code: 1, stderr: 'nope: job nope does not exist\n' });
    fake.answers['GET /api/v1/stream'] = { status: 403, body: { errors: [{ path: '', message: 'needs the viewer role', code: 'FJC_FORBIDDEN' }] } };
    const run = await fjc('watch');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('fjc: FJC_FORBIDDEN: needs the viewer role\n');
  });

  it('refuses an --after that is not a position', async () => {
    expect(await fjc('watch', '--after', 'latest')).toMatchObject({ code: 2, stderr: 'fjc watch: --after must be a log position (a whole number)\n' });
  });
});

describe('-o', () => {
  it('prints get and list as the API answers them, in JSON and YAML; --json stays as before', async () => {
    fake.answers['GET /api/v1/jobs/orders'] = { status: 200, body: jobView('orders') };
    fake.answers['GET /api/v1/jobs?limit=1000'] = { status: 200, body: { jobs: [jobSummary('orders')], next: null } };
    expect(JSON.parse((await fjc('get', 'orders', '-o', 'json')).stdout)).toEqual(jobView('orders'));
    expect(parseYaml((await fjc('get', 'orders', '-o', 'yaml')).stdout)).toEqual(jobView('orders'));
    expect(JSON.parse((await fjc('list', '-o', 'json')).stdout)).toEqual({ jobs: [jobSummary('orders')], next: null });
    expect(JSON.parse((await fjc('list', '--json')).stdout)).toEqual([jobSummary('orders')]);
  });

  it('refuses an unknown format as a usage error', async () => {
    const run = await fjc('list', '-o', 'xml');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("argument 'xml' is invalid. Allowed choices are table, json, yaml.");
  });

  it('prints validate results as data', async () => {
    const out = JSON.parse((await fjc('validate', STREAM_FILE, join(FIXTURES, 'invalid', 'fields.yaml'), '-o', 'json')).stdout);
    expect(out.files.map((f: { ok: boolean; errors: unknown[] }) => [f.ok, f.errors.length])).toEqual([[true, 0], [false, 6]]);
  });
});

describe('fjc completion', () => {
  it('completes every registered command, subcommands, options and option choices in bash', async () => {
    const script = (await fjc('completion', 'bash')).stdout;
    const names = fjcProgram({ out: () => undefined, err: () => undefined }, () => undefined).commands.map((c) => c.name());
    expect(names).toEqual(expect.arrayContaining(['apply', 'history', 'diff', 'watch', 'exceptions', 'completion', 'token']));
    const complete = (...words: string[]) =>
      spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _fjc_complete; printf '%s\\n' "\${COMPREPLY[@]}"`], {
        encoding: 'utf8',
      }).stdout.trim().split('\n');
    expect(complete('fjc', '').sort()).toEqual([...names].sort());
    expect(complete('fjc', 'hi')).toEqual(['history']);
    expect(complete('fjc', 'apply', '--w')).toEqual(['--wait']);
    expect(complete('fjc', 'get', '-o', '')).toEqual(['table', 'json', 'yaml']);
    expect(complete('fjc', 'token', 'l')).toEqual(['list']);
    expect(complete('fjc', 'token', 'list', '--')).toEqual(expect.arrayContaining(['--all', '--output', '--help']));
    expect(complete('fjc', 'completion', '')).toEqual(['bash', 'zsh']);
  });

  it('prints a zsh script that loads the same completion through bashcompinit', async () => {
    const run = await fjc('completion', 'zsh');
    expect(run.stdout.split('\n').slice(0, 2)).toEqual(['#compdef fjc', 'autoload -U +X bashcompinit && bashcompinit']);
    expect(run.stdout).toContain('complete -o default -F _fjc_complete fjc');
    expect(run.code).toBe(0);
  });
});
