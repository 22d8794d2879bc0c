// given(events).when(now).then(requests, lifecycle): the reconciler's policy, pure.
import type { JobSpec } from '@fjc/contracts';
import { JOB, T0, counterIds, spec, testEvent } from '../testing/fixtures';
import { BATCH_STOP_GRACE_MS, decide, FAILED_REDEPLOY_LIMIT, type Decision } from './decide';
import { evolveOwn } from './own-events';
import { recallOwn, type OwnEvent } from './recall';
import type { IdSource } from './ids';
import { evolve, RETRY_LIMIT } from './evolve';
import type { ReconcilerInput } from './inputs';
import { initialJobState, type JobState } from './job-state';
import { lifecycleChange, lifecycleOf } from './lifecycle';


let seq = 0;
function envelope<T extends ReconcilerInput['type']>(type: T, payload: Extract<ReconcilerInput, { type: T }>['payload'], at = T0): ReconcilerInput {
  return testEvent(++seq, type, payload, at) as ReconcilerInput;
}

const specUpdated = (version: number, s: JobSpec) => envelope('SpecUpdated', { version, specHash: `sha256:${'0'.repeat(64)}`, spec: s, warnings: [] });
const observed = (flinkJobId: string, flinkState: 'RUNNING' | 'FINISHED' | 'FAILED') => envelope('JobObserved', { flinkJobId, flinkState });

/** Folds inputs one by one, deciding after each, as the service does. */
function run(inputs: ReconcilerInput[], ids = counterIds(), state: JobState = initialJobState(JOB), at = T0): { state: JobState; last: Decision; all: Decision[] } {
  let current = state;
  const all: Decision[] = [];
  for (const input of inputs) {
    const d = decide(evolve(current, input), new Date(at), ids);
    all.push(d);
    current = d.state;
  }
  return { state: current, last: all[all.length - 1], all };
}

function pendingOf(state: JobState) {
  if (!state.pending) throw new Error('nothing pending');
  return state.pending;
}

function succeed(state: JobState, extra: { savepoint?: { triggerId: string; location: string } } = {}): ReconcilerInput {
  const p = state.pending;
  if (!p) throw new Error('nothing pending');
  return envelope('ActionSucceeded', { actionId: p.actionId, kind: p.kind, flinkJobId: p.flinkJobId, ...extra });
}

describe('decide: stream jobs', () => {
  it('deploys a new running spec under a Flink job id chosen up front', () => {
    const { state, last } = run([specUpdated(1, spec())]);
    expect(last.requests).toHaveLength(1);
    expect(last.requests[0].payload.action).toMatchObject({ kind: 'Deploy', flinkJobId: '0'.repeat(31) + '1', specVersion: 1 });
    expect(last.requests[0].cause).toMatchObject({ correlationId: 'corr-1', actor: { kind: 'user', id: 'alice' } });
    expect(lifecycleOf(state)).toBe('DEPLOYING');
  });

  it('is RUNNING once Flink runs the job, but the version is only a candidate until its gates pass', () => {
    const a = run([specUpdated(1, spec())]);
    const b = run([succeed(a.state), observed(pendingOf(a.state).flinkJobId, 'RUNNING')], counterIds(), a.state);
    expect(lifecycleOf(b.state)).toBe('RUNNING');
    expect(b.state.lastStableVersion).toBeNull();
    expect(b.state.candidate).toMatchObject({ version: 1 });
    expect(b.all.every((d) => d.requests.length === 0)).toBe(true);
  });

  it('takes an observation that overtakes the ActionSucceeded into account', () => {
    const a = run([specUpdated(1, spec())]);
    const b = run([observed(pendingOf(a.state).flinkJobId, 'RUNNING'), succeed(a.state)], counterIds(), a.state);
    expect(lifecycleOf(b.state)).toBe('RUNNING');
  });

  it('upgrades through a savepoint when parallelism changes in savepoint mode', () => {
    const ids = counterIds();
    const a = run([specUpdated(1, spec())], ids);
    const b = run([succeed(a.state), observed(pendingOf(a.state).flinkJobId, 'RUNNING'), specUpdated(2, spec({ deployment: { parallelism: 2, upgrade_mode: 'savepoint' } }))], ids, a.state);
    const action = b.last.requests[0].payload.action;
    expect(action).toMatchObject({ kind: 'Upgrade', fromFlinkJobId: pendingOf(a.state).flinkJobId, upgradeMode: 'savepoint', specVersion: 2 });
    expect(action.kind === 'Upgrade' && action.savepointTriggerId).toMatch(/^[0-9a-f]{32}$/);
    expect(lifecycleOf(b.state)).toBe('UPGRADING');
  });

  it('asks for nothing new while an action is in flight', () => {
    const a = run([specUpdated(1, spec())]);
    const b = run([specUpdated(2, spec({ deployment: { parallelism: 2, upgrade_mode: 'savepoint' } }))], counterIds(), a.state);
    expect(b.last.requests).toEqual([]);
  });

  it('changes nothing in Flink for a labels-only change', () => {
    const a = run([specUpdated(1, spec())]);
    const b = run([succeed(a.state), observed(pendingOf(a.state).flinkJobId, 'RUNNING'), specUpdated(2, spec({ labels: { team: 'data' } }))], counterIds(), a.state);
    expect(b.last.requests).toEqual([]);
    expect(b.state.deployedVersion).toBe(2);
  });

  it('suspends with a savepoint and resumes from it', () => {
    const ids = counterIds();
    const a = run([specUpdated(1, spec())], ids);
    const running = run([succeed(a.state), observed(pendingOf(a.state).flinkJobId, 'RUNNING')], ids, a.state);
    const suspending = run([envelope('JobSuspendRequested', { version: 2, specHash: `sha256:${'1'.repeat(64)}`, spec: spec({ state: 'suspended' }) })], ids, running.state);
    expect(suspending.last.requests[0].payload.action).toMatchObject({ kind: 'Stop', withSavepoint: true });
    expect(lifecycleOf(suspending.state)).toBe('SUSPENDING');
    const trigger = suspending.last.requests[0].payload.action;
    const suspended = run([succeed(suspending.state, { savepoint: { triggerId: trigger.kind === 'Stop' ? trigger.triggerId ?? '' : '', location: 'file:/sp/savepoint-1' } })], ids, suspending.state);
    expect(lifecycleOf(suspended.state)).toBe('SUSPENDED');
    const resumed = run([envelope('JobResumeRequested', { version: 3, specHash: `sha256:${'2'.repeat(64)}`, spec: spec() })], ids, suspended.state);
    expect(resumed.last.requests[0].payload.action).toMatchObject({ kind: 'Deploy', restoreFrom: { kind: 'savepoint', path: 'file:/sp/savepoint-1' } });
  });

  it('cancels on delete and ends DELETED', () => {
    const a = run([specUpdated(1, spec())]);
    const running = run([succeed(a.state), observed(pendingOf(a.state).flinkJobId, 'RUNNING')], counterIds(), a.state);
    const deleting = run([envelope('JobDeleteRequested', { lastVersion: 1 })], counterIds(), running.state);
    expect(deleting.last.requests[0].payload.action).toMatchObject({ kind: 'Cancel', flinkJobId: pendingOf(a.state).flinkJobId });
    expect(lifecycleOf(deleting.state)).toBe('DELETING');
    const deleted = run([succeed(deleting.state)], counterIds(), deleting.state);
    expect(lifecycleOf(deleted.state)).toBe('DELETED');
    expect(deleted.last.requests).toEqual([]);
  });

  it('triggers a savepoint every savepoint_trigger_interval while the job runs', () => {
    const ids = counterIds();
    const periodic = spec({ stream_config: { savepoint_trigger_interval: '1h' } });
    const a = run([specUpdated(1, periodic)], ids);
    const running = run([succeed(a.state), observed(pendingOf(a.state).flinkJobId, 'RUNNING')], ids, a.state);
    expect(decide(running.state, new Date(T0 + 30 * 60_000), ids).requests).toEqual([]);
    const due = decide(running.state, new Date(T0 + 61 * 60_000), ids);
    expect(due.requests.map((r) => r.payload.action.kind)).toEqual(['TriggerSavepoint']);
    expect(decide(due.state, new Date(T0 + 62 * 60_000), ids).requests).toEqual([]);
  });

  it('backs off after a retryable failure and redeploys with a new Flink job id later', () => {
    const a = run([specUpdated(1, spec())]);
    const failed = run([envelope('ActionFailed', { actionId: pendingOf(a.state).actionId, kind: 'Deploy', error: { code: 'FJC_FLINK_UNREACHABLE', message: 'down', retryable: true } })], counterIds(), a.state);
    expect(failed.last.requests).toEqual([]);
    expect(lifecycleOf(failed.state)).toBe('FAILED');
    const later = decide(failed.state, new Date(T0 + 60_000), counterIds());
    expect(later.requests[0].payload.action.kind).toBe('Deploy');
  });

  it('fails a version at once on FJC_FLINK_PROGRAM_INVALID with Flink\'s message, and no resync or time redeploys it', () => {
    const a = run([specUpdated(1, spec())]);
    const message = "The program's entry point class 'com.example.DoesNotExist' was not found in the jar file.";
    const failed = run([envelope('ActionFailed', { actionId: pendingOf(a.state).actionId, kind: 'Deploy', error: { code: 'FJC_FLINK_PROGRAM_INVALID', message, retryable: false } })], counterIds(), a.state);
    expect(failed.last.requests).toEqual([]);
    expect(lifecycleOf(failed.state)).toBe('FAILED');
    expect(failed.state.lastError).toEqual({ code: 'FJC_FLINK_PROGRAM_INVALID', message });
    expect(lifecycleChange(failed.state, 'action failed')?.change.lastError).toEqual({ code: 'FJC_FLINK_PROGRAM_INVALID', message });
    for (const minutes of [1, 5, 60, 24 * 60]) {
      expect(decide(failed.state, new Date(T0 + minutes * 60_000), counterIds(), { resync: true }).requests).toEqual([]);
    }
    // A new version (a corrected spec, a resume, a rollback) deploys again.
    const fixed = run([specUpdated(2, spec())], counterIds(), failed.state);
    expect(fixed.last.requests.map((r) => r.payload.action.kind)).toEqual(['Deploy']);
    expect(fixed.state.lastError).toBeNull();
  });

  it('gives a retryable failure up after RETRY_LIMIT attempts in a row: FAILED, no more redeploys', () => {
    let state = run([specUpdated(1, spec())]).state;
    let at = T0;
    const ids = counterIds();
    let deploys = 1;
    for (let i = 1; i <= RETRY_LIMIT; i++) {
      state = evolve(state, envelope('ActionFailed', { actionId: pendingOf(state).actionId, kind: 'Deploy', error: { code: 'FJC_FLINK_UNREACHABLE', message: 'down', retryable: true } }, at));
      at += 61_000;
      const d = decide(state, new Date(at), ids, { resync: true });
      state = d.state;
      deploys += d.requests.length;
      if (i < RETRY_LIMIT) expect(d.requests).toHaveLength(1);
    }
    expect(deploys).toBe(RETRY_LIMIT);
    expect(lifecycleOf(state)).toBe('FAILED');
    expect(state.lastError).toEqual({ code: 'FJC_FLINK_UNREACHABLE', message: `gave up after ${RETRY_LIMIT} attempts: down` });
    expect(decide(state, new Date(at + 3_600_000), ids, { resync: true }).requests).toEqual([]);
  });

  it('retries a Deploy that failed retryably under the same Flink job id (it may have reached Flink), and a new version under a new one', () => {
    const ids = counterIds();
    const a = run([specUpdated(1, spec())], ids);
    const first = pendingOf(a.state);
    const failed = run([envelope('ActionFailed', { actionId: first.actionId, kind: 'Deploy', error: { code: 'FJC_FLINK_UNREACHABLE', message: 'connection reset', retryable: true } })], ids, a.state);
    const retry = decide(failed.state, new Date(T0 + 60_000), ids);
    const [again] = retry.requests;
    expect(again?.payload.action).toMatchObject({ kind: 'Deploy', flinkJobId: first.flinkJobId });
    expect(again?.payload.actionId).not.toBe(first.actionId);
    const v2 = run([specUpdated(2, spec())], ids, failed.state);
    expect(v2.last.requests[0]?.payload.action).toMatchObject({ kind: 'Deploy' });
    expect((v2.last.requests[0]?.payload.action as { flinkJobId?: string } | undefined)?.flinkJobId).not.toBe(first.flinkJobId);
  });

  it('does not retry a version that failed for good', () => {
    const a = run([specUpdated(1, spec())]);
    const failed = run([envelope('ActionFailed', { actionId: pendingOf(a.state).actionId, kind: 'Deploy', error: { code: 'FJC_ARTIFACT_SIGNATURE_MISMATCH', message: 'bad', retryable: false } })], counterIds(), a.state);
    expect(decide(failed.state, new Date(T0 + 3_600_000), counterIds()).requests).toEqual([]);
    expect(lifecycleOf(failed.state)).toBe('FAILED');
  });
});

describe('decide: a job Flink lost (NOT_FOUND) is never started empty in silence', () => {
  const checkpointed = (flinkJobId: string, id: number, at: number) =>
    envelope('JobObserved', { flinkJobId, flinkState: 'RUNNING', lastCheckpoint: { id, path: `file:/chk/${flinkJobId}/chk-${id}`, completedAt: new Date(at).toISOString() } });
  const lost = (flinkJobId: string) => envelope('JobObserved', { flinkJobId, flinkState: 'NOT_FOUND' });
  const recoveryRequested = (from: { kind: 'savepoint'; path: string } | { kind: 'empty-state' }) =>
    ({ ...envelope('JobRecoveryRequested', { requestId: '30000000-0000-4000-8000-000000000001', from }), actor: { kind: 'user', id: 'ops-olga' } }) as ReconcilerInput;

  function runningJob(s: JobSpec = spec()) {
    const deployed = run([specUpdated(1, s)]);
    const flinkJobId = pendingOf(deployed.state).flinkJobId;
    return { ...run([succeed(deployed.state), observed(flinkJobId, 'RUNNING')], counterIds(), deployed.state), flinkJobId };
  }

  it('records the newest retained checkpoint as the deployer reports it, and restores from it', () => {
    const job = runningJob();
    const ids = counterIds();
    const { state, last } = run([checkpointed(job.flinkJobId, 3, T0 + 1000), checkpointed(job.flinkJobId, 4, T0 + 2000), lost(job.flinkJobId)], ids, job.state);
    expect(last.requests).toHaveLength(1);
    expect(last.requests[0].payload.action).toMatchObject({ kind: 'Deploy', restoreFrom: { kind: 'checkpoint', path: `file:/chk/${job.flinkJobId}/chk-4` } });
    expect(last.note).toContain(`checkpoint file:/chk/${job.flinkJobId}/chk-4`);
    expect(lifecycleOf(state)).toBe('DEPLOYING');
  });

  it('starts a job FAILED past its restart strategy again from its newest checkpoint, FAILED_REDEPLOY_LIMIT times per version, then stays FAILED', () => {
    const job = runningJob();
    const ids = counterIds();
    let { state, last } = run([checkpointed(job.flinkJobId, 7, T0 + 1000), observed(job.flinkJobId, 'FAILED')], ids, job.state);
    let flinkJobId = job.flinkJobId;
    for (let start = 1; start <= FAILED_REDEPLOY_LIMIT; start++) {
      expect(last.requests).toHaveLength(1);
      expect(last.requests[0].payload.action).toMatchObject({ kind: 'Deploy', restoreFrom: { kind: 'checkpoint', path: `file:/chk/${job.flinkJobId}/chk-7` } });
      expect(last.note).toContain(`FAILED past its restart strategy (start ${start} of ${FAILED_REDEPLOY_LIMIT})`);
      expect(lifecycleOf(state)).toBe('DEPLOYING');
      flinkJobId = pendingOf(state).flinkJobId;
      ({ state, last } = run([succeed(state), observed(flinkJobId, 'RUNNING'), observed(flinkJobId, 'FAILED')], ids, state));
    }
    expect(last.requests).toEqual([]);
    expect(lifecycleOf(state)).toBe('FAILED');
    expect(decide(state, new Date(T0 + 3_600_000), ids, { resync: true }).requests).toEqual([]);
    // A new version starts afresh.
    const v2 = run([specUpdated(2, spec({ args: ['--rate', '5'] }))], ids, state);
    expect(v2.last.requests.map((r) => r.payload.action.kind)).toEqual(['Deploy']);
  });

  it('a stateful job FAILED with no known state waits for an operator instead of starting empty', () => {
    const job = runningJob();
    const { state, last } = run([observed(job.flinkJobId, 'FAILED')], counterIds(), job.state);
    expect(last.requests).toEqual([]);
    expect(lifecycleOf(state)).toBe('NEEDS_ATTENTION');
    expect(state.lastError?.code).toBe('FJC_STATE_NOT_FOUND');
  });

  it('takes a savepoint newer than the last checkpoint', () => {
    const job = runningJob();
    const withCheckpoint = run([checkpointed(job.flinkJobId, 3, Date.parse('2025-01-01T00:00:00Z'))], counterIds(), job.state).state;
    const withSavepoint: JobState = { ...withCheckpoint, lastSavepoint: 'file:/sp/9', lastSavepointAt: '2025-01-01T00:01:00Z', lastSavepointTakenAt: '2025-01-01T00:01:00Z' };
    const { last } = run([lost(job.flinkJobId)], counterIds(), withSavepoint);
    expect(last.requests[0].payload.action).toMatchObject({ kind: 'Deploy', restoreFrom: { kind: 'savepoint', path: 'file:/sp/9' } });
  });

  it('a periodic savepoint asked for but not taken does not make an older savepoint look newer', () => {
    const job = runningJob();
    const withCheckpoint = run([checkpointed(job.flinkJobId, 3, Date.parse('2025-01-01T00:00:30Z'))], counterIds(), job.state).state;
    const asked: JobState = { ...withCheckpoint, lastSavepoint: 'file:/sp/old', lastSavepointAt: '2025-01-01T00:01:00Z', lastSavepointTakenAt: '2025-01-01T00:00:00Z' };
    const { last } = run([lost(job.flinkJobId)], counterIds(), asked);
    expect(last.requests[0].payload.action).toMatchObject({ kind: 'Deploy', restoreFrom: { kind: 'checkpoint' } });
  });

  it('ignores checkpoints of runs it does not track', () => {
    const job = runningJob();
    const { state } = run([checkpointed('f'.repeat(32), 9, T0)], counterIds(), job.state);
    expect(state.lastCheckpoint ?? null).toBeNull();
  });

  it('a job with state and none known goes NEEDS_ATTENTION (FJC_STATE_NOT_FOUND) and waits, even on resync', () => {
    const job = runningJob();
    const { state, last } = run([lost(job.flinkJobId)], counterIds(), job.state);
    expect(last.requests).toEqual([]);
    expect(lifecycleOf(state)).toBe('NEEDS_ATTENTION');
    expect(state.lastError).toMatchObject({ code: 'FJC_STATE_NOT_FOUND' });
    expect(lifecycleChange(state, 'x')?.change).toMatchObject({ to: 'NEEDS_ATTENTION', lastError: { code: 'FJC_STATE_NOT_FOUND' } });
    expect(decide(state, new Date(T0 + 3_600_000), counterIds(), { resync: true }).requests).toEqual([]);
    // A new spec version does not make the lost state reappear either.
    expect(run([specUpdated(2, spec({ deployment: { parallelism: 2, upgrade_mode: 'savepoint' } }))], counterIds(), state).last.requests).toEqual([]);
  });

  it('fjc recover --empty-state starts it without state, caused by the operator', () => {
    const job = runningJob();
    const attention = run([lost(job.flinkJobId)], counterIds(), job.state).state;
    const { state, last } = run([recoveryRequested({ kind: 'empty-state' })], counterIds(), attention);
    expect(last.requests).toHaveLength(1);
    expect(last.requests[0].payload.action).toMatchObject({ kind: 'Deploy' });
    expect(last.requests[0].payload.action).not.toHaveProperty('restoreFrom');
    expect(last.requests[0].cause.actor).toEqual({ kind: 'user', id: 'ops-olga' });
    expect(last.note).toContain('recovered by user ops-olga: starting with empty state');
    expect(state).toMatchObject({ needsAttention: null, recovery: null, lastError: null });
    expect(lifecycleOf(state)).toBe('DEPLOYING');
  });

  it('fjc recover --from-savepoint starts it from that savepoint', () => {
    const job = runningJob();
    const attention = run([lost(job.flinkJobId)], counterIds(), job.state).state;
    const { last } = run([recoveryRequested({ kind: 'savepoint', path: 'file:/sp/manual' })], counterIds(), attention);
    expect(last.requests[0].payload.action).toMatchObject({ kind: 'Deploy', restoreFrom: { kind: 'savepoint', path: 'file:/sp/manual' } });
  });

  it('a recovery request for a job that does not need one changes nothing', () => {
    const job = runningJob();
    const { state, last } = run([recoveryRequested({ kind: 'empty-state' })], counterIds(), job.state);
    expect(last.requests).toEqual([]);
    expect(state.recovery ?? null).toBeNull();
  });

  it('a stateless job is simply deployed again', () => {
    const job = runningJob(spec({ deployment: { parallelism: 1, upgrade_mode: 'stateless' } }));
    const { last } = run([checkpointed(job.flinkJobId, 2, T0), lost(job.flinkJobId)], counterIds(), job.state);
    expect(last.requests).toHaveLength(1);
    expect(last.requests[0].payload.action).not.toHaveProperty('restoreFrom');
    expect(last.note).toContain('without state');
  });

  it('a last-state upgrade refused for want of a checkpoint goes NEEDS_ATTENTION; recover cancels the old job, then deploys', () => {
    const job = runningJob(spec({ deployment: { parallelism: 1, upgrade_mode: 'last-state' } }));
    const upgrading = run([specUpdated(2, spec({ deployment: { parallelism: 2, upgrade_mode: 'last-state' } }))], counterIds(), job.state).state;
    expect(pendingOf(upgrading).kind).toBe('Upgrade');
    const refused = envelope('ActionFailed', { actionId: pendingOf(upgrading).actionId, kind: 'Upgrade', error: { code: 'FJC_STATE_NOT_FOUND', message: 'no retained checkpoint', retryable: false } });
    const attention = run([refused], counterIds(), upgrading);
    expect(attention.last.requests).toEqual([]);
    expect(lifecycleOf(attention.state)).toBe('NEEDS_ATTENTION');
    const cancelling = run([recoveryRequested({ kind: 'empty-state' })], counterIds(), attention.state);
    expect(cancelling.last.requests[0].payload.action).toEqual({ kind: 'Cancel', flinkJobId: job.flinkJobId });
    const deploying = run([succeed(cancelling.state)], counterIds(), cancelling.state);
    expect(deploying.last.requests[0].payload.action).toMatchObject({ kind: 'Deploy', specVersion: 2 });
    expect(deploying.last.requests[0].payload.action).not.toHaveProperty('restoreFrom');
  });
});

describe('decide: batch jobs', () => {
  const cron = (extra: Record<string, unknown> = {}) =>
    spec({ job_type: 'batch', deployment: { upgrade_mode: 'stateless' }, batch_config: { cron: '* * * * *', max_runs: 2, ...extra } });
  const tick = (runNumber: number, minute: number) =>
    envelope('ScheduleTick', { scheduledTime: new Date(T0 + minute * 60_000).toISOString(), specVersion: 1, runNumber, cron: '* * * * *', timezone: 'UTC' });

  it('waits for ticks, runs one per tick, and skips a tick while a run goes on (forbid)', () => {
    const ids = counterIds();
    const scheduled = run([specUpdated(1, cron())], ids);
    expect(scheduled.last.requests).toEqual([]);
    expect(lifecycleOf(scheduled.state)).toBe('SCHEDULED');
    const first = run([tick(1, 1)], ids, scheduled.state);
    expect(first.last.requests[0].payload.action).toMatchObject({ kind: 'Deploy' });
    expect(first.last.requests[0].cause.actor).toEqual({ kind: 'service', id: 'scheduler' });
    const started = run([succeed(first.state), observed(pendingOf(first.state).flinkJobId, 'RUNNING'), tick(2, 2)], ids, first.state);
    expect(started.last.requests).toEqual([]);
    expect(started.last.note).toMatch(/forbid/);
  });

  it('allow: a run kept aside beside the next one is forgotten once it ended', () => {
    const ids = counterIds();
    let s = run([specUpdated(1, cron({ concurrency_policy: 'allow', max_runs: 5 }))], ids).state;
    s = run([tick(1, 1)], ids, s).state;
    const run1 = pendingOf(s).flinkJobId;
    s = run([succeed(s), observed(run1, 'RUNNING'), tick(2, 2)], ids, s).state;
    const run2 = pendingOf(s).flinkJobId;
    s = run([succeed(s), observed(run2, 'RUNNING')], ids, s).state;
    expect(s.others.map((r) => r.flinkJobId)).toEqual([run1]);
    s = run([observed(run1, 'FINISHED')], ids, s).state;
    expect(s.others).toEqual([]);
    expect(s.current?.flinkJobId).toBe(run2);
    expect(lifecycleOf(s)).toBe('RUNNING');
  });

  it('finishes after max_runs', () => {
    const ids = counterIds();
    let s = run([specUpdated(1, cron())], ids).state;
    for (const n of [1, 2]) {
      const d = run([tick(n, n)], ids, s);
      s = run([succeed(d.state), observed(pendingOf(d.state).flinkJobId, 'FINISHED')], ids, d.state).state;
    }
    expect(lifecycleOf(s)).toBe('FINISHED');
    expect(run([tick(3, 3)], ids, s).last.requests).toEqual([]);
  });

  describe('ttl_seconds', () => {
    const ttlJob = spec({ job_type: 'batch', deployment: { upgrade_mode: 'stateless' }, batch_config: { ttl_seconds: 60 } });
    const at = (ms: number) => new Date(T0 + ms);
    /** A run of ttlJob started at T0 and RUNNING, then looked at past its ttl. */
    function expired(ids = counterIds()) {
      const a = run([specUpdated(1, ttlJob)], ids);
      const running = run([succeed(a.state), observed(pendingOf(a.state).flinkJobId, 'RUNNING')], ids, a.state);
      expect(decide(running.state, at(60_000), ids).requests).toEqual([]);
      return { ids, flinkJobId: pendingOf(a.state).flinkJobId, decision: decide(running.state, at(61_000), ids) };
    }

    it('stops a run past its ttl with a savepoint and records it FAILED with FJC_BATCH_TTL_EXCEEDED', () => {
      const { ids, flinkJobId, decision } = expired();
      expect(decision.events?.map((e) => e.event)).toEqual([
        expect.objectContaining({ type: 'BatchRunExpired', payload: expect.objectContaining({ flinkJobId, limit: 'ttl_seconds', limitSeconds: 60, cancelAt: at(61_000 + BATCH_STOP_GRACE_MS).toISOString(), error: expect.objectContaining({ code: 'FJC_BATCH_TTL_EXCEEDED' }) }) }),
      ]);
      expect(decision.requests.map((r) => r.payload.action)).toEqual([expect.objectContaining({ kind: 'Stop', flinkJobId, withSavepoint: true, drain: false })]);
      const stopped = decide(evolve(decision.state, succeed(decision.state, { savepoint: { triggerId: 't', location: 'file:/sp/1' } })), at(65_000), ids);
      expect(lifecycleOf(stopped.state)).toBe('FAILED');
      expect(lifecycleChange(stopped.state, 'stopped')?.change.lastError?.code).toBe('FJC_BATCH_TTL_EXCEEDED');
      expect(stopped.requests).toEqual([]);
      expect(decide(stopped.state, at(600_000), ids, { resync: true }).requests).toEqual([]);
    });

    it('cancels when Flink refuses the stop (a BATCH-mode program takes no savepoint)', () => {
      const { ids, flinkJobId, decision } = expired();
      const refused = evolve(decision.state, envelope('ActionFailed', { actionId: pendingOf(decision.state).actionId, kind: 'Stop', error: { code: 'FJC_FLINK_REJECTED', message: 'savepoints are not supported for batch jobs', retryable: true } }, T0 + 62_000));
      const cancel = decide(refused, at(70_000), ids);
      expect(cancel.requests.map((r) => r.payload.action)).toEqual([{ kind: 'Cancel', flinkJobId }]);
      const canceled = decide(evolve(cancel.state, succeed(cancel.state)), at(71_000), ids);
      expect(lifecycleOf(canceled.state)).toBe('FAILED');
      expect(lifecycleChange(canceled.state, 'canceled')?.change.lastError?.code).toBe('FJC_BATCH_TTL_EXCEEDED');
    });

    it('cancels when the stop has not ended the run by the end of the grace period', () => {
      const { ids, flinkJobId, decision } = expired();
      expect(decision.wait?.retryAt).toBe(at(61_000 + BATCH_STOP_GRACE_MS + 1).toISOString());
      expect(decide(decision.state, at(61_000 + BATCH_STOP_GRACE_MS - 1), ids).requests).toEqual([]);
      const cancel = decide(decision.state, at(61_000 + BATCH_STOP_GRACE_MS), ids);
      expect(cancel.requests.map((r) => r.payload.action)).toEqual([{ kind: 'Cancel', flinkJobId }]);
    });

    it('completion_timeout_seconds: a run Flink never reported ended is cancelled at once, FAILED with FJC_BATCH_COMPLETION_TIMEOUT', () => {
      const ids = counterIds();
      const hung = spec({ job_type: 'batch', deployment: { upgrade_mode: 'stateless' }, batch_config: { ttl_seconds: 600, completion_timeout_seconds: 30 } });
      const a = run([specUpdated(1, hung)], ids);
      const flinkJobId = pendingOf(a.state).flinkJobId;
      // Submitted and never observed since.
      const submitted = run([succeed(a.state)], ids, a.state);
      expect(submitted.last.wait?.retryAt).toBe(at(30_001).toISOString());
      expect(decide(submitted.state, at(30_000), ids).requests).toEqual([]);
      const d = decide(submitted.state, at(30_001), ids);
      expect(d.events?.map((e) => e.event.payload)).toEqual([expect.objectContaining({ limit: 'completion_timeout_seconds', limitSeconds: 30, cancelAt: at(30_001).toISOString(), error: expect.objectContaining({ code: 'FJC_BATCH_COMPLETION_TIMEOUT' }) })]);
      expect(d.requests.map((r) => r.payload.action)).toEqual([{ kind: 'Cancel', flinkJobId }]);
      const canceled = decide(evolve(d.state, succeed(d.state)), at(31_000), ids);
      expect(lifecycleOf(canceled.state)).toBe('FAILED');
      expect(lifecycleChange(canceled.state, 'canceled')?.change.lastError?.code).toBe('FJC_BATCH_COMPLETION_TIMEOUT');
    });

    it('a run that finished in time is not touched by either limit', () => {
      const ids = counterIds();
      const both = spec({ job_type: 'batch', deployment: { upgrade_mode: 'stateless' }, batch_config: { ttl_seconds: 60, completion_timeout_seconds: 30 } });
      const a = run([specUpdated(1, both)], ids);
      const done = run([succeed(a.state), observed(pendingOf(a.state).flinkJobId, 'FINISHED')], ids, a.state);
      const later = decide(done.state, at(3_600_000), ids, { resync: true });
      expect(later.requests).toEqual([]);
      expect(later.events ?? []).toEqual([]);
      expect(lifecycleOf(later.state)).toBe('FINISHED');
    });

    it('a later scheduled run that ends well shows the job SCHEDULED again, not the earlier run\'s ttl error', () => {
      const ids = counterIds();
      const cronTtl = spec({ job_type: 'batch', deployment: { upgrade_mode: 'stateless' }, batch_config: { cron: '* * * * *', ttl_seconds: 60 } });
      const tickAt = (n: number, ms: number) => envelope('ScheduleTick', { scheduledTime: new Date(T0 + n * 60_000).toISOString(), specVersion: 1, runNumber: n, cron: '* * * * *', timezone: 'UTC' }, T0 + ms);
      let s = run([specUpdated(1, cronTtl), tickAt(1, 0)], ids).state;
      s = run([succeed(s), observed(pendingOf(s).flinkJobId, 'RUNNING')], ids, s).state;
      const stop = decide(s, at(61_000), ids);
      const refused = evolve(stop.state, envelope('ActionFailed', { actionId: pendingOf(stop.state).actionId, kind: 'Stop', error: { code: 'FJC_SAVEPOINT_FAILED', message: 'no savepoints in BATCH mode', retryable: true } }, T0 + 61_000));
      const cancel = decide(refused, at(64_000), ids);
      const failed = decide(evolve(cancel.state, succeed(cancel.state)), at(65_000), ids);
      expect(lifecycleOf(failed.state)).toBe('FAILED');
      const next = decide(evolve(failed.state, tickAt(2, 120_000)), at(120_000), ids);
      expect(next.requests[0].payload.action.kind).toBe('Deploy');
      const p2 = pendingOf(next.state);
      const started = envelope('ActionSucceeded', { actionId: p2.actionId, kind: p2.kind, flinkJobId: p2.flinkJobId }, T0 + 121_000);
      const ok = run([started, envelope('JobObserved', { flinkJobId: p2.flinkJobId, flinkState: 'FINISHED' }, T0 + 125_000)], ids, next.state, T0 + 125_000);
      expect(lifecycleOf(ok.state)).toBe('SCHEDULED');
      expect(lifecycleChange(ok.state, 'finished')?.change.lastError).toBeNull();
    });

    it('a rebuild from the log folds BatchRunExpired to the same state', () => {
      const { decision } = expired();
      const event = decision.events?.[0]?.event;
      if (event?.type !== 'BatchRunExpired') throw new Error('no BatchRunExpired');
      expect(evolveOwn({ ...decision.state, expiredRun: null }, event).expiredRun).toEqual(decision.state.expiredRun);
    });
  });

  describe('retry', () => {
    const at = (ms: number) => new Date(T0 + ms);
    const retrying = spec({ job_type: 'batch', deployment: { upgrade_mode: 'stateless' }, batch_config: { cron: '* * * * *', retry: { max_attempts: 3, backoff_seconds: 30 } } });
    const tick1 = () => envelope('ScheduleTick', { scheduledTime: new Date(T0).toISOString(), specVersion: 1, runNumber: 1, cron: '* * * * *', timezone: 'UTC' });
    /** Starts the pending Deploy and has its Flink job fail, at `ms`. */
    function failAt(state: JobState, ms: number, ids: IdSource): Decision {
      const p = pendingOf(state);
      const started = evolve(state, envelope('ActionSucceeded', { actionId: p.actionId, kind: 'Deploy', flinkJobId: p.flinkJobId }, T0 + ms));
      return decide(evolve(started, envelope('JobObserved', { flinkJobId: p.flinkJobId, flinkState: 'FAILED', failure: { message: 'boom' } }, T0 + ms)), at(ms), ids);
    }

    it('starts a FAILED scheduled run again after backoff_seconds, attempt n of max_attempts, then gives up', () => {
      const ids = counterIds();
      let s = run([specUpdated(1, retrying), tick1()], ids).state;
      const firstJob = pendingOf(s).flinkJobId;
      const failed1 = failAt(s, 1_000, ids);
      expect(failed1.events?.map((e) => e.event)).toEqual([
        { type: 'BatchRunRetried', payload: { version: 1, runNumber: 1, failedFlinkJobId: firstJob, attempt: 2, maxAttempts: 3, retryAt: at(31_000).toISOString(), error: { code: 'FJC_FLINK_JOB_FAILED', message: 'boom' } } },
      ]);
      expect(failed1.requests).toEqual([]);
      expect(failed1.wait?.retryAt).toBe(at(31_000).toISOString());
      expect(decide(failed1.state, at(30_999), ids).requests).toEqual([]);
      const second = decide(failed1.state, at(31_000), ids);
      expect(second.requests.map((r) => r.payload.action)).toEqual([expect.objectContaining({ kind: 'Deploy' })]);
      expect(pendingOf(second.state).runNumber).toBe(1);
      expect(second.note).toMatch(/attempt 2 of 3/);

      const failed2 = failAt(second.state, 40_000, ids);
      expect(failed2.events?.map((e) => e.event.payload)).toEqual([expect.objectContaining({ runNumber: 1, attempt: 3, maxAttempts: 3 })]);
      const third = decide(failed2.state, at(70_000), ids);
      s = failAt(third.state, 80_000, ids).state;
      // Three attempts failed: no more, the job shows FAILED until the next tick.
      const after = decide(s, at(600_000), ids, { resync: true });
      expect(after.requests).toEqual([]);
      expect(after.events ?? []).toEqual([]);
      expect(lifecycleOf(after.state)).toBe('FAILED');
      expect(after.state.runsStarted).toBe(1);
    });

    it('without retry a FAILED scheduled run waits for the next tick', () => {
      const ids = counterIds();
      const plain = spec({ job_type: 'batch', deployment: { upgrade_mode: 'stateless' }, batch_config: { cron: '* * * * *' } });
      const s = run([specUpdated(1, plain), tick1()], ids).state;
      const failed = failAt(s, 1_000, ids);
      expect(failed.events ?? []).toEqual([]);
      expect(decide(failed.state, at(600_000), ids, { resync: true }).requests).toEqual([]);
    });

    it('a rebuild from the log gives the retry its run number (recall)', () => {
      const ids = counterIds();
      const s = run([specUpdated(1, retrying), tick1()], ids).state;
      const failed = failAt(s, 1_000, ids);
      const retried = failed.events?.[0]?.event;
      if (retried?.type !== 'BatchRunRetried') throw new Error('no BatchRunRetried');
      const second = decide(failed.state, at(31_000), ids);
      const request = second.requests[0];
      const recalled = recallOwn(
        recallOwn({ ...failed.state, batchRetry: null }, testEvent(900, 'BatchRunRetried', retried.payload, T0) as OwnEvent, new Map()),
        testEvent(901, 'ActionRequested', request.payload, T0 + 31_000) as OwnEvent,
        new Map(),
      );
      expect(recalled.pending).toEqual(second.state.pending);
    });
  });

  describe('clean-up after max_runs', () => {
    const at = (ms: number) => new Date(T0 + ms);
    /** Ticks each of the runs and has it end `end` before the next one. */
    function runs(s: JobState, ids: IdSource, numbers: number[], end: 'FINISHED' | 'FAILED' = 'FINISHED'): { state: JobState; last: Decision; flinkJobIds: string[] } {
      let state = s;
      let last: Decision | null = null;
      const flinkJobIds: string[] = [];
      for (const n of numbers) {
        const d = run([tick(n, n)], ids, state);
        flinkJobIds.push(pendingOf(d.state).flinkJobId);
        const ended = run([succeed(d.state), observed(pendingOf(d.state).flinkJobId, end)], ids, d.state);
        state = ended.state;
        last = ended.last;
      }
      if (!last) throw new Error('no runs');
      return { state, last, flinkJobIds };
    }
    const cleanUps = (d: Decision) => d.requests.filter((r) => r.payload.action.kind === 'CleanUp');
    const cleanedUp = (state: JobState, outcome: 'succeeded' | 'failed' = 'succeeded', retryable = true, atMs = 0) => {
      const actionId = state.cleanUp?.actionId;
      if (!actionId) throw new Error('no clean-up in flight');
      return outcome === 'succeeded'
        ? envelope('ActionSucceeded', { actionId, kind: 'CleanUp', jarsDeleted: 1, runsPruned: 2 }, T0 + atMs)
        : envelope('ActionFailed', { actionId, kind: 'CleanUp', error: { code: 'FJC_FLINK_UNREACHABLE', message: 'connect ECONNREFUSED', retryable } }, T0 + atMs);
    };

    it('asks once for a CleanUp of the ended runs when the last run ended, and the job still shows FINISHED', () => {
      const ids = counterIds();
      const first = runs(run([specUpdated(1, cron())], ids).state, ids, [1]);
      expect(cleanUps(first.last)).toEqual([]);
      const done = runs(first.state, ids, [2]);
      const flinkJobIds = [...first.flinkJobIds, ...done.flinkJobIds];
      expect(cleanUps(done.last).map((r) => r.payload.action)).toEqual([{ kind: 'CleanUp', flinkJobIds, reason: 'max_runs' }]);
      expect(cleanUps(done.last)[0].cause.actor).toEqual({ kind: 'service', id: 'reconciler' });
      // Not a tracked action: the job shows how its last run ended, and nothing waits for it.
      expect(done.state.pending).toBeNull();
      expect(lifecycleOf(done.state)).toBe('FINISHED');
      // In flight: not asked for again, by a resync or a late tick.
      expect(decide(done.state, at(600_000), ids, { resync: true }).requests).toEqual([]);
      expect(run([tick(3, 3)], ids, done.state).last.requests).toEqual([]);

      const after = run([cleanedUp(done.state)], ids, done.state);
      expect(after.last.requests).toEqual([]);
      expect(after.state).toMatchObject({ runsToCleanUp: [], cleanUp: null, runsStarted: 2 });
      // The last run stays the job's current one: FINISHED, with its Flink job id.
      expect(after.state.current?.flinkJobId).toBe(done.flinkJobIds[0]);
      expect(lifecycleOf(after.state)).toBe('FINISHED');
      expect(lifecycleChange({ ...after.state, announced: lifecycleChange(done.state, 'x')?.announced ?? null }, 'ActionSucceeded')).toBeNull();
      expect(decide(after.state, at(600_000), ids, { resync: true }).requests).toEqual([]);
      expect(run([tick(3, 3)], ids, after.state).last.requests).toEqual([]);
      // A new version with the same max_runs starts nothing and cleans nothing up again.
      expect(run([specUpdated(2, cron({ ttl_seconds: 60 }))], ids, after.state).last.requests).toEqual([]);
    });

    it('waits while a run kept aside still goes on (concurrency_policy allow)', () => {
      const ids = counterIds();
      let s = run([specUpdated(1, cron({ concurrency_policy: 'allow' })), tick(1, 1)], ids).state;
      const run1 = pendingOf(s).flinkJobId;
      s = run([succeed(s), observed(run1, 'RUNNING'), tick(2, 2)], ids, s).state;
      const run2 = pendingOf(s).flinkJobId;
      const second = run([succeed(s), observed(run2, 'FINISHED')], ids, s);
      expect(second.all.flatMap(cleanUps)).toEqual([]);
      expect(second.state.others.map((r) => r.flinkJobId)).toEqual([run1]);
      const last = run([observed(run1, 'FINISHED')], ids, second.state);
      expect(cleanUps(last.last).map((r) => r.payload.action)).toEqual([{ kind: 'CleanUp', flinkJobIds: [run1, run2], reason: 'max_runs' }]);
    });

    it('waits for a retry of the last run, then names every attempt; the job still shows FAILED after it', () => {
      const ids = counterIds();
      const retrying = cron({ max_runs: 1, retry: { max_attempts: 2, backoff_seconds: 30 } });
      const first = runs(run([specUpdated(1, retrying)], ids).state, ids, [1], 'FAILED');
      expect(first.last.events?.map((e) => e.event.type)).toEqual(['BatchRunRetried']);
      expect(cleanUps(first.last)).toEqual([]);
      expect(decide(first.state, at(10_000), ids, { resync: true }).requests).toEqual([]);
      const retry = decide(first.state, at(30_000), ids);
      expect(retry.requests.map((r) => r.payload.action.kind)).toEqual(['Deploy']);
      const attempt2 = pendingOf(retry.state).flinkJobId;
      const failed = run([succeed(retry.state), observed(attempt2, 'FAILED')], ids, retry.state, T0 + 40_000);
      expect(cleanUps(failed.last).map((r) => r.payload.action)).toEqual([{ kind: 'CleanUp', flinkJobIds: [...first.flinkJobIds, attempt2], reason: 'max_runs' }]);
      const after = run([cleanedUp(failed.state)], ids, failed.state);
      expect(lifecycleOf(after.state)).toBe('FAILED');
      expect(after.state.lastError?.code).toBe('FJC_FLINK_JOB_FAILED');
    });

    it('cleans up again only after a new version with a higher max_runs ran more runs, naming only those', () => {
      const ids = counterIds();
      const done = runs(run([specUpdated(1, cron())], ids).state, ids, [1, 2]);
      let s = run([cleanedUp(done.state)], ids, done.state).state;
      const raised = run([specUpdated(2, cron({ max_runs: 3 }))], ids, s);
      expect(raised.last.requests).toEqual([]);
      expect(lifecycleOf(raised.state)).toBe('SCHEDULED');
      const third = runs(raised.state, ids, [3]);
      expect(cleanUps(third.last).map((r) => r.payload.action)).toEqual([{ kind: 'CleanUp', flinkJobIds: third.flinkJobIds, reason: 'max_runs' }]);
      s = run([cleanedUp(third.state)], ids, third.state).state;
      expect(s.runsToCleanUp).toEqual([]);
      expect(lifecycleOf(s)).toBe('FINISHED');
    });

    it('asks again after a pause when the clean-up failed retryably, and never drops the runs', () => {
      const ids = counterIds();
      const done = runs(run([specUpdated(1, cron())], ids).state, ids, [1, 2]);
      const firstId = done.state.cleanUp?.actionId;
      const failedAt = T0 + 5_000;
      const failed = decide(evolve(done.state, cleanedUp(done.state, 'failed', true, 5_000)), at(5_000), ids);
      expect(failed.requests).toEqual([]);
      expect(failed.state).toMatchObject({ cleanUp: null, cleanUpFailures: { count: 1, retryAt: new Date(failedAt + 2_000).toISOString() }, lastError: null, retryAfter: null });
      expect(failed.state.runsToCleanUp).toEqual(done.flinkJobIds);
      expect(failed.wait?.retryAt).toBe(new Date(failedAt + 2_000).toISOString());
      expect(lifecycleOf(failed.state)).toBe('FINISHED');
      const again = decide(failed.state, at(7_000), ids);
      expect(cleanUps(again).map((r) => r.payload.action)).toEqual([{ kind: 'CleanUp', flinkJobIds: done.state.runsToCleanUp, reason: 'max_runs' }]);
      expect(again.state.cleanUp?.actionId).not.toBe(firstId);
    });

    it('gives up on a clean-up that cannot succeed until a new run', () => {
      const ids = counterIds();
      const done = runs(run([specUpdated(1, cron())], ids).state, ids, [1, 2]);
      const failed = run([cleanedUp(done.state, 'failed', false)], ids, done.state);
      expect(failed.state.cleanUpFailures).toEqual({ count: 1, retryAt: null });
      expect(decide(failed.state, at(3_600_000), ids, { resync: true }).requests).toEqual([]);
      expect(lifecycleOf(failed.state)).toBe('FINISHED');
    });

    it('remembers no runs of a cron job without max_runs', () => {
      const ids = counterIds();
      const s = runs(run([specUpdated(1, cron({ max_runs: undefined }))], ids).state, ids, [1, 2]).state;
      expect(s.runsToCleanUp).toBeUndefined();
    });

    it('a rebuild from the log gives back the clean-up in flight (recall)', () => {
      const ids = counterIds();
      const done = runs(run([specUpdated(1, cron())], ids).state, ids, [1, 2]);
      const request = cleanUps(done.last)[0];
      const recalled = recallOwn({ ...done.state, cleanUp: null }, testEvent(902, 'ActionRequested', request.payload, T0) as OwnEvent, new Map());
      expect(recalled.cleanUp).toEqual(done.state.cleanUp);
    });
  });

  it('runs an unscheduled batch job once per version', () => {
    const ids = counterIds();
    const once = spec({ job_type: 'batch', deployment: { upgrade_mode: 'stateless' } });
    const a = run([specUpdated(1, once)], ids);
    expect(a.last.requests[0].payload.action.kind).toBe('Deploy');
    const done = run([succeed(a.state), observed(pendingOf(a.state).flinkJobId, 'FINISHED')], ids, a.state);
    expect(lifecycleOf(done.state)).toBe('FINISHED');
    expect(decide(done.state, new Date(T0), ids).requests).toEqual([]);
  });
});

describe('lifecycle announcements', () => {
  it('raises an alert on high back-pressure only when alert_on_backpressure asks for it', () => {
    for (const [wanted, expected] of [[true, true], [false, false]] as const) {
      const s = spec({ monitoring: { alert_on_backpressure: wanted } });
      const a = run([specUpdated(1, s)]);
      const id = pendingOf(a.state).flinkJobId;
      const pressured = run([succeed(a.state), envelope('JobObserved', { flinkJobId: id, flinkState: 'RUNNING', backpressure: 'high' })], counterIds(), a.state);
      expect(lifecycleChange(pressured.state, 'JobObserved')?.change.alert).toBe(expected);
    }
  });

  it('announces nothing new on a resync that changes nothing, even after a jsonb round-trip', () => {
    const a = run([specUpdated(1, spec())]);
    const running = run([succeed(a.state), observed(pendingOf(a.state).flinkJobId, 'RUNNING')], counterIds(), a.state);
    const first = lifecycleChange(running.state, 'JobObserved');
    expect(first?.change.to).toBe('RUNNING');
    const announced = first?.announced ?? null;
    // jsonb stores keys in its own order
    const reordered = { ...running.state, announced: Object.fromEntries(Object.entries(announced ?? {}).reverse()) as unknown as typeof announced };
    expect(lifecycleChange(reordered, 'resync')).toBeNull();
  });

  it('announces the Flink version the deployer detected, and keeps it when later observations omit it', () => {
    const a = run([specUpdated(1, spec())]);
    const id = pendingOf(a.state).flinkJobId;
    const seen = run([succeed(a.state), envelope('JobObserved', { flinkJobId: id, flinkState: 'RUNNING', flinkVersion: '2.3.0' })], counterIds(), a.state);
    const change = lifecycleChange(seen.state, 'JobObserved');
    expect(change?.change).toMatchObject({ to: 'RUNNING', flinkVersion: '2.3.0' });
    const later = run([observed(id, 'RUNNING')], counterIds(), { ...seen.state, announced: change?.announced ?? null });
    expect(later.state.flinkVersion).toBe('2.3.0');
    expect(lifecycleChange(later.state, 'resync')).toBeNull();
  });

  it('treats a state stored before versions were detected as announcing no version', () => {
    const a = run([specUpdated(1, spec())]);
    const running = run([succeed(a.state), observed(pendingOf(a.state).flinkJobId, 'RUNNING')], counterIds(), a.state);
    const first = lifecycleChange(running.state, 'JobObserved');
    // What such a state looks like after a jsonb round-trip: no flinkVersion key anywhere.
    const stored = JSON.parse(JSON.stringify({ ...running.state, announced: first?.announced }), (k, v: unknown) => (k === 'flinkVersion' ? undefined : v)) as JobState;
    expect(stored.announced && 'flinkVersion' in stored.announced).toBe(false);
    expect(lifecycleChange(stored, 'resync')).toBeNull();
  });
});
