// The plan, pure: every change class and upgrade mode, batch, suspend and resume, a new job, and
// the slots, jar and warnings around them, table by table.
import { specHash, type JobSpec } from '@fjc/contracts';
import { SIGNATURE, specOf } from '../../testing/spec-stream-fixtures';
import type { SpecVersionEntry } from '../../spec-stream/spec-stream';
import { planChange, type PlanInput, type PlannedJobStatus } from './plan-change';
import type { ClusterOverview } from './plan-parts';

const NOW = new Date('2026-11-29T10:00:00Z');
const FLINK = '3f2a0000000000000000000000000001';
const RUNNING: PlannedJobStatus = { state: 'RUNNING', flinkJobId: FLINK, deployedVersion: 3, lastStableVersion: 3, failedVersion: null, candidate: false };
const CLUSTER: ClusterOverview = {
  cluster: 'default',
  slotsTotal: 8,
  slotsFree: 2,
  taskManagers: 2,
  flinkVersion: '2.3.0',
  observedAt: new Date(NOW.getTime() - 12_000),
  checkedAt: new Date(NOW.getTime() - 12_000),
  error: null,
};

const entry = (version: number, spec: JobSpec): SpecVersionEntry => ({ version, specHash: specHash(spec), spec });

/** A savepoint-mode stream job at version 3, running with parallelism 2. */
const deployed = specOf({ deployment: { parallelism: 2, upgrade_mode: 'savepoint' }, labels: { team: 'a' } });
const history = [entry(1, deployed), entry(2, deployed), entry(3, deployed)];

function plan(spec: JobSpec, overrides: Partial<PlanInput> = {}) {
  const versions = overrides.versions ?? history;
  const current = versions.at(-1);
  const changed = current === undefined || specHash(spec) !== current.specHash;
  return planChange({
    jobId: spec.job_id,
    spec,
    specHash: specHash(spec),
    specWarnings: [],
    versions,
    deleted: false,
    version: changed ? (current?.version ?? 0) + 1 : (current?.version ?? 1),
    changed,
    status: RUNNING,
    recordedSha256: SIGNATURE.slice('sha256:'.length),
    newestSavepoint: 'file:///savepoints/savepoint-3',
    cluster: CLUSTER,
    now: NOW,
    ...overrides,
  });
}

const withDeployment = (deployment: Record<string, unknown>, more: Record<string, unknown> = {}) =>
  specOf({ deployment: { parallelism: 2, upgrade_mode: 'savepoint', ...deployment }, labels: { team: 'a' }, ...more });

describe('planChange: a running stream job', () => {
  it('metadata-only: keeps the Flink job, needs no slot, diff names the label', () => {
    const p = plan(withDeployment({}, { labels: { team: 'b' } }));
    expect(p.changeClass).toBe('metadata-only');
    expect(p.steps).toEqual([{ kind: 'keep', flinkJobId: FLINK, text: expect.stringContaining(`keep Flink job ${FLINK} running: version 4 is adopted`) }]);
    expect(p.diff).toEqual([{ path: 'labels', old: { team: 'a' }, new: { team: 'b' }, effect: 'metadata-only' }]);
    expect(p.slots).toMatchObject({ needed: 0, released: 0, free: 2, enough: true });
    expect(p.jar).toMatchObject({ changed: false, note: expect.stringContaining('running jar stays') });
    expect(p.comparedWith).toEqual({ version: 3, as: 'deployed' });
    expect(p.warnings).toEqual([]);
  });

  it('none: the same spec again changes nothing', () => {
    const p = plan(deployed);
    expect(p).toMatchObject({ changeClass: 'none', changed: false, version: 3, diff: [], steps: [{ kind: 'nothing' }] });
  });

  it.each([
    ['savepoint', 'stop-with-savepoint', 'stop-savepoint', `stop Flink job ${FLINK} with a savepoint`],
    ['last-state', 'cancel', 'retained-checkpoint', `cancel Flink job ${FLINK}, keeping its newest retained checkpoint`],
    ['stateless', 'cancel', 'empty', `cancel Flink job ${FLINK}`],
  ] as const)('rescale in %s mode: %s, then start version 4 with parallelism 4', (mode, stopKind, restoreFrom, stopText) => {
    const p = plan(withDeployment({ parallelism: 4, upgrade_mode: mode }));
    // upgrade_mode changed too where it is not savepoint: still the strongest need wins.
    expect(p.changeClass).toBe(mode === 'savepoint' ? 'rescale' : 'redeploy');
    expect(p.steps).toEqual([
      { kind: stopKind, flinkJobId: FLINK, text: expect.stringContaining(stopText) },
      { kind: 'start', version: 4, parallelism: 4, restoreFrom, text: expect.stringContaining('with parallelism 4') },
    ]);
    expect(p.slots).toMatchObject({ needed: 4, released: 2, free: 2, enough: true, ageSeconds: 12 });
    const codes = p.warnings.map((w) => w.code);
    expect(codes.includes('FJC_PLAN_STATE_DROPPED')).toBe(mode === 'stateless');
  });

  it('rescale: says it in words as an operator would', () => {
    const p = plan(withDeployment({ parallelism: 3 }));
    expect(p.summary).toBe(`rescale: stop Flink job ${FLINK} with a savepoint; then start version 4 from that savepoint as a new Flink job with parallelism 3`);
    expect(p.diff).toEqual([{ path: 'deployment.parallelism', old: 2, new: 3, effect: 'rescale' }]);
  });

  it('redeploy: a new jar path is a jar change, with the recorded digest of the running one', () => {
    const p = plan(withDeployment({}, { artifact_path: 'jobs/orders-v2.jar', artifact_signature: `sha256:${'b'.repeat(64)}` }));
    expect(p.changeClass).toBe('redeploy');
    expect(p.jar).toEqual({
      changed: true,
      from: { path: 'jobs/orders.jar', sha256: SIGNATURE.slice('sha256:'.length), sha256Source: 'recorded' },
      to: { path: 'jobs/orders-v2.jar', sha256: 'b'.repeat(64), sha256Source: 'declared' },
      note: expect.stringContaining('checks the jar against artifact_signature'),
    });
  });

  it('a same path with a different declared digest is a jar change; without a declared one the digest is not known before upload', () => {
    expect(plan(withDeployment({ parallelism: 3 }, { artifact_signature: `sha256:${'c'.repeat(64)}` })).jar.changed).toBe(true);
    const unpinned = plan(withDeployment({ parallelism: 3 }, { artifact_signature: undefined }));
    expect(unpinned.jar).toMatchObject({ changed: false, to: { sha256: null, sha256Source: null }, note: expect.stringContaining('records its SHA-256 then') });
  });

  it('warns when the slots free (and those freed first) are not enough', () => {
    const p = plan(withDeployment({ parallelism: 6 }));
    expect(p.slots).toMatchObject({ needed: 6, released: 2, free: 2, enough: false });
    expect(p.warnings).toContainEqual(expect.objectContaining({ code: 'FJC_PLAN_NOT_ENOUGH_SLOTS', path: 'deployment.parallelism' }));
  });

  it('says slots are unknown when the deployer never observed the cluster, or could not read it', () => {
    const never = plan(withDeployment({ parallelism: 3 }), { cluster: null });
    expect(never.slots).toMatchObject({ free: null, total: null, enough: null, observedAt: null, note: 'unknown: the deployer has not observed cluster default yet' });
    expect(never.warnings.map((w) => w.code)).toContain('FJC_PLAN_SLOTS_UNKNOWN');
    const down = plan(withDeployment({ parallelism: 3 }), { cluster: { ...CLUSTER, slotsFree: null, slotsTotal: null, observedAt: null, error: 'FJC_FLINK_UNREACHABLE: refused' } });
    expect(down.slots.note).toContain('could not read cluster default (FJC_FLINK_UNREACHABLE: refused)');
  });

  it('an upgrade of a job that is not RUNNING waits for it, and says so', () => {
    const p = plan(withDeployment({ parallelism: 3 }), { status: { ...RUNNING, state: 'RESTARTING' } });
    expect(p.steps.map((s) => s.kind)).toEqual(['wait', 'stop-with-savepoint', 'start']);
    expect(p.warnings.map((w) => w.code)).toContain('FJC_PLAN_WAITS_FOR_RUNNING');
  });

  it('warns about a candidate replaced, a failed version (and its content tried again), and an upgrade in flight', () => {
    const candidate = plan(withDeployment({ parallelism: 3 }), { status: { ...RUNNING, candidate: true } });
    expect(candidate.warnings.map((w) => w.code)).toContain('FJC_PLAN_CANDIDATE_REPLACED');
    const failedSpec = withDeployment({ parallelism: 5 });
    const versions = [...history, entry(4, failedSpec), entry(5, deployed)];
    const failed = plan(failedSpec, { versions, status: { ...RUNNING, deployedVersion: 5, failedVersion: 4 } });
    expect(failed.warnings).toContainEqual(expect.objectContaining({ code: 'FJC_PLAN_FAILED_VERSION', message: expect.stringContaining('content of version 4, which failed') }));
    const inFlight = plan(withDeployment({ parallelism: 3 }), { versions: [...history, entry(4, withDeployment({ parallelism: 4 }))] });
    expect(inFlight.comparedWith).toEqual({ version: 3, as: 'deployed' });
    expect(inFlight.diff).toEqual([expect.objectContaining({ path: 'deployment.parallelism', old: 2, new: 3 })]);
    expect(inFlight.warnings.map((w) => w.code)).toContain('FJC_PLAN_UPGRADE_IN_FLIGHT');
  });

  it('a job that needs attention is flagged', () => {
    const p = plan(withDeployment({ parallelism: 3 }), { status: { ...RUNNING, state: 'NEEDS_ATTENTION', flinkJobId: null } });
    expect(p.warnings.map((w) => w.code)).toContain('FJC_PLAN_NEEDS_ATTENTION');
    expect(p.steps[0]).toMatchObject({ kind: 'start', restoreFrom: 'newest-savepoint' });
  });

  it('passes the spec warnings on first, as apply returns them', () => {
    const p = plan(withDeployment({ parallelism: 3 }), { specWarnings: [{ path: 'resources.memory', message: 'has no effect on a session cluster', code: 'FJC_SPEC_CLUSTER_LEVEL' }] });
    expect(p.warnings[0]).toEqual({ path: 'resources.memory', message: 'has no effect on a session cluster', code: 'FJC_SPEC_CLUSTER_LEVEL' });
  });
});

describe('planChange: new jobs, suspend and resume', () => {
  it('a new job starts empty with its parallelism; no diff, no previous jar', () => {
    const spec = withDeployment({ parallelism: 2 });
    const p = plan(spec, { versions: [], status: null });
    expect(p).toMatchObject({ changeClass: 'new-job', version: 1, currentVersion: null, comparedWith: null, diff: [], job: null });
    expect(p.steps).toEqual([{ kind: 'start', version: 1, parallelism: 2, restoreFrom: 'empty', text: expect.any(String) }]);
    expect(p.jar).toMatchObject({ changed: true, from: null, to: { path: 'jobs/orders.jar', sha256: SIGNATURE.slice(7) } });
    expect(p.slots).toMatchObject({ needed: 2, released: 0, enough: true });
  });

  it('a deleted job applied again is a new job', () => {
    const p = plan(withDeployment({}), { deleted: true, changed: true, version: 4, status: { ...RUNNING, state: 'DELETED', flinkJobId: null } });
    expect(p.changeClass).toBe('new-job');
  });

  it('suspend: stop with a savepoint, nothing starts, the slots come back', () => {
    const p = plan(withDeployment({}, { state: 'suspended' }));
    expect(p.changeClass).toBe('suspend');
    expect(p.steps.map((s) => s.kind)).toEqual(['stop-with-savepoint', 'nothing']);
    expect(p.diff).toEqual([{ path: 'state', old: 'running', new: 'suspended', effect: 'desired-state' }]);
    expect(p.slots).toMatchObject({ needed: 0, released: 2 });
  });

  it('resume: start from the newest savepoint FJC recorded', () => {
    const paused = withDeployment({}, { state: 'suspended' });
    const p = plan(withDeployment({}), { versions: [...history, entry(4, paused)], status: { ...RUNNING, state: 'SUSPENDED', deployedVersion: 4 } });
    expect(p.changeClass).toBe('resume');
    expect(p.steps).toEqual([{ kind: 'start', version: 5, parallelism: 2, restoreFrom: 'newest-savepoint', text: expect.stringContaining('file:///savepoints/savepoint-3') }]);
  });

  it('a suspended job that stays suspended starts nothing; the change waits for resume', () => {
    const paused = withDeployment({}, { state: 'suspended' });
    const p = plan(withDeployment({ parallelism: 4 }, { state: 'suspended' }), { versions: [...history, entry(4, paused)], status: { ...RUNNING, state: 'SUSPENDED', deployedVersion: 4 } });
    expect(p).toMatchObject({ changeClass: 'rescale', steps: [{ kind: 'nothing', text: expect.stringContaining('takes effect when it is resumed') }], slots: { needed: 0 } });
  });
});

describe('planChange: batch jobs', () => {
  const batch = (more: Record<string, unknown> = {}) => specOf({ job_type: 'batch', deployment: { parallelism: 2 }, ...more });
  const batchHistory = [entry(1, batch())];

  it('unscheduled: each new version runs once, after a run in progress ends', () => {
    const p = plan(batch({ labels: { run: 'again' } }), { versions: batchHistory, status: { ...RUNNING, deployedVersion: 1 } });
    expect(p.changeClass).toBe('metadata-only');
    expect(p.steps.map((s) => s.kind)).toEqual(['wait', 'start']);
    expect(p.steps[1]).toMatchObject({ version: 2, parallelism: 2, restoreFrom: 'empty', text: expect.stringContaining('run version 2 once') });
  });

  it('scheduled: runs on its cron (the schedule is read by FJC only: metadata-only)', () => {
    const p = plan(batch({ batch_config: { cron: '0 * * * *' } }), { versions: batchHistory, status: { ...RUNNING, state: 'SCHEDULED', flinkJobId: null, deployedVersion: 1 } });
    expect(p.changeClass).toBe('metadata-only');
    expect(p.steps).toEqual([{ kind: 'schedule', version: 2, parallelism: 2, text: expect.stringContaining('cron "0 * * * *"') }]);
  });

  it('suspended: the run in progress is cancelled and no run starts', () => {
    const p = plan(batch({ state: 'suspended' }), { versions: batchHistory, status: { ...RUNNING, deployedVersion: 1 } });
    expect(p.changeClass).toBe('suspend');
    expect(p.steps.map((s) => s.kind)).toEqual(['cancel', 'nothing']);
  });
});
