// `fjc template ...` run in-process against a fake spec-service: what each subcommand sends,
// prints and exits with. The real routes are exercised by the spec-service's integration tests.
import { join } from 'node:path';
import { fakeSpecService, fjc } from './testing/fake-spec-service';

const WORKSPACE = join(__dirname, '..', '..', '..');
const fake = fakeSpecService();

const plan = (jobId: string, version: number) => ({
  jobId,
  changeClass: 'redeploy',
  changed: true,
  version,
  currentVersion: version - 1,
  comparedWith: { version: version - 1, as: 'deployed' },
  jobType: 'stream',
  summary: 'stop with a savepoint, start the new version from it',
  steps: [{ kind: 'stop-with-savepoint', text: 'stop Flink job with a savepoint' }, { kind: 'start', text: `start version ${version} from that savepoint`, version, restoreFrom: 'stop-savepoint' }],
  job: null,
  slots: { cluster: 'default', needed: 1, released: 1, free: null, total: null, taskManagers: null, flinkVersion: null, observedAt: null, ageSeconds: null, enough: null, note: 'unknown' },
  jar: { changed: false, from: null, to: { path: 'fjc-test-job.jar', sha256: null, sha256Source: null }, note: 'same jar' },
  diff: [{ path: 'args', old: ['--rate', '20'], new: ['--rate', '40'], effect: 'redeploy' }],
  warnings: [],
  plannedAt: '2026-01-01T00:00:00.000Z',
});

describe('fjc template', () => {
  it('apply sends the file as YAML to the template of its name and says what became of it', async () => {
    fake.answers['PUT /api/v1/templates/stream-base'] = { status: 201, body: { name: 'stream-base', version: 1, changed: true } };
    const run = await fjc('template', 'apply', join(WORKSPACE, 'examples', 'templates', 'stream-base.yaml'));
    expect([run.code, run.lines]).toEqual([0, ['stream-base@1 (created)']]);
    expect(fake.seen[0].headers['content-type']).toBe('application/yaml');
  });

  it('apply prints refusals as file: path: message and exits 1', async () => {
    fake.answers['PUT /api/v1/templates/stream-base'] = { status: 400, body: { errors: [{ path: 'parameters.log_level.default', code: 'FJC_TEMPLATE_INVALID', message: 'must be one of "INFO"' }] } };
    const file = join(WORKSPACE, 'examples', 'templates', 'stream-base.yaml');
    const run = await fjc('template', 'apply', file);
    expect(run.code).toBe(1);
    // Located in the file by its path.
    expect(run.stdout).toBe(`${file}: parameters.log_level.default: must be one of "INFO" (line 6)\n`);
  });

  it('get NAME@VERSION reads that version', async () => {
    fake.answers['GET /api/v1/templates/stream-base/versions/2'] = {
      status: 200,
      body: { name: 'stream-base', version: 2, templateHash: `sha256:${'a'.repeat(64)}`, template: { name: 'stream-base', parameters: {}, spec: { job_type: 'stream' } }, recordedAt: '2026-01-01T00:00:00.000Z', actor: { kind: 'user', id: 'ann' } },
    };
    const run = await fjc('template', 'get', 'stream-base@2');
    expect(run.lines.slice(0, 2)).toEqual(['# stream-base@2, recorded 2026-01-01T00:00:00.000Z by user:ann', 'name: stream-base']);
  });

  it('plan shows each job of the template with its plan, -o json the answer as it is', async () => {
    const answer = { name: 'stream-counter', toVersion: 2, jobs: [{ jobId: 'a', fromVersion: 1, specVersion: 3, outcome: 'change', plan: plan('a', 4), errors: [] }] };
    fake.answers['POST /api/v1/templates/stream-counter/plan'] = { status: 200, body: answer };
    const run = await fjc('template', 'plan', 'stream-counter@2', '--jobs', 'a');
    expect(run.code).toBe(0);
    expect(run.lines[0]).toBe('== a: stream-counter@1 -> @2: change');
    expect(run.stdout).toContain('  args: ["--rate","20"] -> ["--rate","40"] (redeploy)');
    expect(run.lines.at(-1)).toBe('1 of 1 jobs would change');
    expect(JSON.parse(fake.seen[0].body)).toEqual({ toVersion: 2, jobs: ['a'] });
    expect(JSON.parse((await fjc('template', 'plan', 'stream-counter@2', '-o', 'json')).stdout)).toEqual(answer);
  });

  it('plan refuses a reference without a version as invalid input', async () => {
    const run = await fjc('template', 'plan', 'stream-counter');
    expect([run.code, run.stderr]).toEqual([1, 'stream-counter: must be NAME@VERSION, e.g. stream-base@2\n']);
    expect(fake.seen).toEqual([]);
  });

  it('rollout sends --to and prints each job; exits 1 when a job was refused', async () => {
    fake.answers['POST /api/v1/templates/stream-counter/rollout'] = {
      status: 200,
      body: {
        name: 'stream-counter',
        toVersion: 2,
        jobs: [
          { jobId: 'a', fromVersion: 1, specVersion: 3, status: 'accepted', version: 4, errors: [] },
          { jobId: 'b', fromVersion: 1, specVersion: 1, status: 'rejected', version: null, errors: [{ path: '', code: 'FJC_FORBIDDEN', message: 'needs the operator role' }] },
        ],
      },
    };
    const run = await fjc('template', 'rollout', 'stream-counter', '--to', '2');
    expect(run.code).toBe(1);
    expect(run.lines.slice(1).map((l) => l.split(/\s{2,}/))).toEqual([
      ['a', 'stream-counter@1', 'accepted', '4', '-'],
      ['b', 'stream-counter@1', 'rejected', '-', 'needs the operator role'],
    ]);
    expect(JSON.parse(fake.seen[0].body)).toEqual({ toVersion: 2 });
  });
});

describe('fjc validate and templates', () => {
  it('says a spec that names a template is checked by fjc plan, at the template line', async () => {
    const file = join(WORKSPACE, 'examples', 'templates', 'orders-counter-job.yaml');
    const run = await fjc('validate', file);
    expect(run.code).toBe(1);
    expect(run.lines[0]).toBe(`${file}: template: names a template, which only the spec-service renders: check the file with \`fjc plan FILE\` (line 5)`);
  });
});
