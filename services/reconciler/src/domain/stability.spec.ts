// given(log).when(time passes, Flink reports).then(decisions): stability gates, automatic and
// operator rollbacks, the restart budget and savepoint retention, pure. Every scenario also
// rebuilds the state from the log it wrote and checks the rebuild agrees with the live state.
import type { FjcEvent, JobSpec } from '@fjc/contracts';
import { JOB, T0, counterIds, spec, testEvent } from '../testing/fixtures';
import { decide, type Decision } from './decide';
import { evolve } from './evolve';
import type { IdSource } from './ids';
import type { ReconcilerInput } from './inputs';
import { initialJobState, type JobState } from './job-state';
import { lifecycleChange, lifecycleOf } from './lifecycle';
import type { DecisionEvent } from './own-events';
import { recallInput, recallOwn, type OwnEvent } from './recall';

const SECOND = 1000;
const SP1 = 'file:/tmp/sp/savepoint-v1';

/** One job driven through the reconciler's pure policy, with its own clock and log. */
class World {
  state: JobState = initialJobState(JOB);
  now = T0;
  readonly events: DecisionEvent[] = [];
  private readonly log: FjcEvent[] = [];
  private seq = 0;
  private readonly ids: IdSource = counterIds();

  given(type: ReconcilerInput['type'], payload: unknown): Decision {
    const input = testEvent(++this.seq, type, payload, this.now) as ReconcilerInput;
    this.log.push(input);
    return this.record(decide(evolve(this.state, input), new Date(this.now), this.ids));
  }

  resync(): Decision {
    return this.record(decide(this.state, new Date(this.now), this.ids, { resync: true }));
  }

  advance(ms: number): Decision {
    this.now += ms;
    return this.resync();
  }

  apply(version: number, s: JobSpec): Decision {
    return this.given('SpecUpdated', { version, specHash: `sha256:${'0'.repeat(64)}`, spec: s, warnings: [] });
  }

  /** The pending action succeeded, with a savepoint when it takes one. */
  succeed(savepoint?: string, extra: Record<string, unknown> = {}): Decision {
    const p = this.state.pending;
    if (!p) throw new Error('nothing pending');
    return this.given('ActionSucceeded', { actionId: p.actionId, kind: p.kind, flinkJobId: p.flinkJobId, ...(savepoint ? { savepoint: { triggerId: 'a'.repeat(32), location: savepoint } } : {}), ...extra });
  }

  observe(fields: { flinkState?: string; restarts?: number; completed?: number; checkpointPath?: string; recordsOutPerSecond?: number } = {}): Decision {
    const run = this.state.current;
    if (!run) throw new Error('no current run');
    return this.given('JobObserved', {
      flinkJobId: run.flinkJobId,
      flinkState: fields.flinkState ?? 'RUNNING',
      ...(fields.restarts !== undefined ? { restarts: fields.restarts } : {}),
      ...(fields.completed !== undefined ? { checkpoints: { completed: fields.completed, failed: 0, inProgress: 0 } } : {}),
      ...(fields.checkpointPath ? { lastCheckpoint: { id: fields.completed ?? 1, path: fields.checkpointPath, completedAt: new Date(this.now).toISOString() } } : {}),
      ...(fields.recordsOutPerSecond !== undefined ? { recordsOutPerSecond: fields.recordsOutPerSecond } : {}),
    });
  }

  /** Deploys version 1 and lets it pass its gates. */
  stableV1(s: JobSpec): void {
    this.apply(1, s);
    this.succeed();
    this.observe({ completed: 0 });
    this.now += 31 * SECOND;
    this.observe({ completed: 1 });
    expect(this.state.lastStableVersion).toBe(1);
  }

  /** Folds the log this world wrote, as `fjc log replay --rebuild reconciler` does. */
  rebuilt(): JobState {
    let state = initialJobState(JOB);
    const ticks = new Map<string, number>();
    for (const event of this.log) {
      state = event.producer === 'reconciler' ? recallOwn(state, event as OwnEvent, ticks) : recallInput(state, event as ReconcilerInput, ticks);
    }
    return state;
  }

  private record(d: Decision): Decision {
    for (const e of d.events ?? []) {
      this.events.push(e.event);
      this.log.push({ ...testEvent(++this.seq, e.event.type, e.event.payload, this.now, e.cause.actor, e.cause.eventId), producer: 'reconciler' } as FjcEvent);
    }
    for (const r of d.requests) this.log.push({ ...testEvent(++this.seq, 'ActionRequested', r.payload, this.now, r.cause.actor, r.cause.eventId), producer: 'reconciler' } as FjcEvent);
    this.state = d.state;
    return d;
  }
}

const types = (w: World) => w.events.map((e) => e.type);
const savepointSpec = (args: string[] = []) => spec({ args });

function expectRebuildAgrees(w: World): void {
  const r = w.rebuilt();
  const pick = (s: JobState) => ({
    lastStableVersion: s.lastStableVersion,
    deployedVersion: s.deployedVersion,
    stuckVersion: s.stuckVersion,
    failedVersion: s.failedVersion?.version ?? null,
    rollback: s.rollback ? { trigger: s.rollback.trigger, toVersion: s.rollback.toVersion, deployed: s.rollback.deployedFlinkJobId } : null,
    candidate: s.candidate ?? null,
    savepoints: (s.savepoints ?? []).map((p) => [p.path, p.version, p.disposing ?? null]),
    pending: s.pending?.kind ?? null,
    lifecycle: lifecycleOf(s),
  });
  expect(pick(r)).toEqual(pick(w.state));
}

describe('stability gates', () => {
  it('given a new deployment, when it has run long enough with a checkpoint, then StabilityConfirmed moves lastStableVersion', () => {
    const w = new World();
    w.apply(1, savepointSpec());
    w.succeed();
    w.observe({ completed: 1 });
    expect(w.state.lastStableVersion).toBeNull();
    expect(w.advance(29 * SECOND).events ?? []).toEqual([]);
    const d = w.advance(2 * SECOND);
    expect(d.events?.[0]?.event).toMatchObject({ type: 'StabilityConfirmed', payload: { version: 1, evidence: { checkpointsCompleted: 1, restarts: null } } });
    expect(w.state.lastStableVersion).toBe(1);
    expect(w.state.candidate).toBeNull();
    expectRebuildAgrees(w);
  });

  it('given a candidate without checkpoints, when the deadline passes, then it fails with FJC_STABILITY_GATE_TIMEOUT and no rollback without a stable version', () => {
    const w = new World();
    w.apply(1, savepointSpec());
    w.succeed();
    w.observe({ completed: 0 });
    w.advance(11 * 60 * SECOND);
    expect(types(w)).toEqual(['StabilityFailed']);
    expect(w.events[0]).toMatchObject({ payload: { error: { code: 'FJC_STABILITY_GATE_TIMEOUT' }, rollback: false } });
    expect(w.state.lastError?.message).toContain('0 of 1 checkpoints completed');
    expect(lifecycleOf(w.state)).toBe('RUNNING');
    expectRebuildAgrees(w);
  });

  it('given a restart within min_running_time, then the running time counts again from the restart', () => {
    const w = new World();
    w.apply(1, savepointSpec());
    w.succeed();
    w.observe({ completed: 1, restarts: 0 });
    w.now += 20 * SECOND;
    w.observe({ completed: 1, restarts: 1 });
    w.now += 20 * SECOND;
    w.observe({ completed: 1, restarts: 1 });
    expect(w.state.lastStableVersion).toBeNull();
    w.advance(11 * SECOND);
    expect(w.state.lastStableVersion).toBe(1);
  });

  it('given optional metric gates, then the candidate passes only with output above the threshold and low back pressure', () => {
    const w = new World();
    w.apply(1, spec({ stream_config: { stability: { min_records_out_per_second: 5, max_backpressure: 'low', min_checkpoints: 0 } } }));
    w.succeed();
    w.observe({ recordsOutPerSecond: 0 });
    w.advance(40 * SECOND);
    expect(w.state.lastStableVersion).toBeNull();
    w.given('JobObserved', { flinkJobId: w.state.current?.flinkJobId, flinkState: 'RUNNING', recordsOutPerSecond: 12, backpressure: 'ok' });
    expect(w.state.lastStableVersion).toBe(1);
    expect(w.events.at(-1)).toMatchObject({ type: 'StabilityConfirmed', payload: { evidence: { recordsOutPerSecond: 12, backpressure: 'ok' } } });
  });
});

describe('automatic rollback', () => {
  it('given v1 stable and v2 restarting past max_restarts, then v2 is cancelled and v1 starts from the savepoint v1 left', () => {
    const w = new World();
    w.stableV1(savepointSpec());
    const v1Job = w.state.current?.flinkJobId;
    w.apply(2, savepointSpec(['--v2']));
    expect(w.state.pending?.kind).toBe('Upgrade');
    w.succeed(SP1);
    expect(w.events.at(-1)).toMatchObject({ type: 'SavepointRecorded', payload: { path: SP1, version: 1, origin: 'upgrade', flinkJobId: v1Job } });
    w.observe({ restarts: 0 });
    const failing = w.observe({ flinkState: 'RESTARTING', restarts: 3 });
    expect(types(w).slice(-2)).toEqual(['StabilityFailed', 'RollbackStarted']);
    expect(w.events.at(-1)).toMatchObject({ payload: { fromVersion: 2, toVersion: 1, trigger: 'automatic', restoreFrom: { kind: 'savepoint', path: SP1 } } });
    expect(failing.requests[0]?.payload.action).toMatchObject({ kind: 'Cancel' });
    expect(lifecycleOf(w.state)).toBe('ROLLING_BACK');
    const deploy = w.succeed();
    expect(deploy.requests[0]?.payload.action).toMatchObject({ kind: 'Deploy', specVersion: 1, restoreFrom: { kind: 'savepoint', path: SP1 } });
    const done = w.succeed();
    expect(done.events?.map((e) => e.event.type)).toEqual(['RollbackCompleted']);
    w.observe();
    expect(lifecycleOf(w.state)).toBe('ROLLED_BACK');
    expect(w.state).toMatchObject({ deployedVersion: 1, lastStableVersion: 1, stuckVersion: 2, failedVersion: { version: 2, error: { code: 'FJC_STABILITY_TOO_MANY_RESTARTS' } }, candidate: null });
    // The failed version is not tried again, however often the reconciler looks.
    expect(w.advance(5 * 60 * SECOND).requests).toEqual([]);
    expectRebuildAgrees(w);
  });

  it('given a rolled-back job whose stable version Flink then loses, then that version is started again from its newest state', () => {
    const w = new World();
    w.stableV1(savepointSpec());
    w.apply(2, savepointSpec(['--v2']));
    w.succeed(SP1);
    w.observe({ flinkState: 'FAILED' });
    w.succeed();
    w.resync();
    w.observe({ completed: 4, checkpointPath: 'file:/tmp/cp/v1/chk-4' });
    expect(lifecycleOf(w.state)).toBe('ROLLED_BACK');
    const lost = w.observe({ flinkState: 'NOT_FOUND' });
    expect(lost.requests[0]?.payload.action).toMatchObject({ kind: 'Deploy', specVersion: 1, restoreFrom: { kind: 'checkpoint', path: 'file:/tmp/cp/v1/chk-4' } });
    w.succeed();
    w.observe();
    expect(lifecycleOf(w.state)).toBe('ROLLED_BACK');
    expect(w.state.candidate).toBeNull();
    expectRebuildAgrees(w);
  });

  it('given v2 whose job fails, then it is rolled back; a new version v3 is deployed again', () => {
    const w = new World();
    w.stableV1(savepointSpec());
    w.apply(2, savepointSpec(['--v2']));
    w.succeed(SP1);
    w.observe({ flinkState: 'FAILED' });
    expect(types(w).slice(-2)).toEqual(['StabilityFailed', 'RollbackStarted']);
    expect(w.events.at(-2)).toMatchObject({ payload: { error: { code: 'FJC_STABILITY_JOB_FAILED' }, rollback: true } });
    // The failed job is not running: the rollback deploys at once.
    expect(w.state.pending).toMatchObject({ kind: 'Deploy', specVersion: 1 });
    w.succeed();
    w.resync();
    expect(types(w).at(-1)).toBe('RollbackCompleted');
    w.observe();
    const v3 = w.apply(3, savepointSpec(['--v3']));
    expect(v3.requests[0]?.payload.action).toMatchObject({ kind: 'Upgrade', specVersion: 3 });
    expectRebuildAgrees(w);
  });

  it('given a stateless job, then auto_rollback is off by default and a failed candidate stays failed', () => {
    const w = new World();
    const stateless = (args: string[]) => spec({ args, deployment: { upgrade_mode: 'stateless' } });
    w.stableV1(stateless([]));
    w.apply(2, stateless(['--v2']));
    w.succeed();
    w.observe({ flinkState: 'FAILED' });
    // Recorded without a rollback; the usual path goes on: the failed job is started again.
    expect(types(w).slice(-2)).toEqual(['StabilityFailed', 'JobRedeployed']);
    expect(w.events.at(-2)).toMatchObject({ type: 'StabilityFailed', payload: { rollback: false } });
    expectRebuildAgrees(w);
  });

  it('given auto_rollback true on a stateless job, then v1 starts again without state', () => {
    const w = new World();
    const stateless = (args: string[]) => spec({ args, deployment: { upgrade_mode: 'stateless' }, stream_config: { auto_rollback: true } });
    w.stableV1(stateless([]));
    w.apply(2, stateless(['--v2']));
    w.succeed();
    w.observe({ flinkState: 'FAILED' });
    expect(w.events.at(-1)).toMatchObject({ type: 'RollbackStarted', payload: { restoreFrom: null } });
    expect(w.state.pending?.request).toMatchObject({ action: { kind: 'Deploy', specVersion: 1 } });
    expect((w.state.pending?.request as { action: { restoreFrom?: unknown } }).action.restoreFrom).toBeUndefined();
  });

  it('given a last-state upgrade, then the rollback restores the newest retained checkpoint of v1', () => {
    const w = new World();
    const lastState = (args: string[]) => spec({ args, deployment: { upgrade_mode: 'last-state' } });
    w.apply(1, lastState([]));
    w.succeed();
    w.observe({ completed: 1, checkpointPath: 'file:/tmp/cp/v1/chk-1' });
    w.advance(31 * SECOND);
    w.observe({ completed: 2, checkpointPath: 'file:/tmp/cp/v1/chk-2' });
    expect(w.state.lastStableVersion).toBe(1);
    w.apply(2, lastState(['--v2']));
    w.succeed();
    w.observe({ flinkState: 'FAILED', completed: 1, checkpointPath: 'file:/tmp/cp/v2/chk-1' });
    expect(w.events.at(-1)).toMatchObject({ type: 'RollbackStarted', payload: { restoreFrom: { kind: 'checkpoint', path: 'file:/tmp/cp/v1/chk-2' } } });
  });
});

describe('operator rollback', () => {
  it('given v1, v2, v3, when rolled back to 1, then v1\'s spec runs from v1\'s savepoint, not v3\'s', () => {
    const w = new World();
    w.stableV1(savepointSpec());
    w.apply(2, savepointSpec(['--v2']));
    w.succeed(SP1);
    w.observe({ completed: 0 });
    w.now += 31 * SECOND;
    w.observe({ completed: 1 });
    expect(w.state.lastStableVersion).toBe(2);
    w.apply(3, savepointSpec(['--v3']));
    w.succeed('file:/tmp/sp/savepoint-v2');
    w.observe({ completed: 1 });
    w.advance(31 * SECOND);
    const v1 = savepointSpec();
    const d = w.given('JobRolledBack', { version: 4, specHash: `sha256:${'0'.repeat(64)}`, spec: v1, fromVersion: 3, toVersion: 1 });
    expect(d.events?.map((e) => e.event)).toEqual([expect.objectContaining({ type: 'RollbackStarted', payload: expect.objectContaining({ trigger: 'operator', toVersion: 1, restoreFrom: { kind: 'savepoint', path: SP1 } }) })]);
    // v3's state is kept (stop with a savepoint), then v1's spec starts from v1's savepoint.
    expect(d.requests[0]?.payload.action).toMatchObject({ kind: 'Stop', withSavepoint: true });
    w.succeed('file:/tmp/sp/savepoint-v3');
    expect(w.state.pending?.request).toMatchObject({ action: { kind: 'Deploy', specVersion: 4, restoreFrom: { kind: 'savepoint', path: SP1 } } });
    expect((w.state.savepoints ?? []).find((s) => s.path === 'file:/tmp/sp/savepoint-v3')).toMatchObject({ version: 3, origin: 'stop' });
    w.succeed();
    w.resync();
    expect(types(w).at(-1)).toBe('RollbackCompleted');
    expect(w.state.deployedVersion).toBe(4);
    expectRebuildAgrees(w);
  });
});

describe('operator rollback to a named savepoint', () => {
  it('given rollback --to 1 --savepoint P, then v1\'s spec starts from P', () => {
    const w = new World();
    w.stableV1(savepointSpec());
    w.apply(2, savepointSpec(['--v2']));
    w.succeed(SP1);
    w.observe({ completed: 1 });
    const d = w.given('JobRolledBack', { version: 3, specHash: `sha256:${'0'.repeat(64)}`, spec: savepointSpec(), fromVersion: 2, toVersion: 1, savepointPath: 'file:/tmp/sp/chosen' });
    expect(d.events?.[0]?.event).toMatchObject({ type: 'RollbackStarted', payload: { trigger: 'operator', restoreFrom: { kind: 'savepoint', path: 'file:/tmp/sp/chosen' } } });
    w.succeed('file:/tmp/sp/savepoint-v2');
    expect(w.state.pending?.request).toMatchObject({ action: { kind: 'Deploy', specVersion: 3, restoreFrom: { kind: 'savepoint', path: 'file:/tmp/sp/chosen' } } });
    expectRebuildAgrees(w);
  });
});

describe('restart budget', () => {
  it('given a stable job restarting more than the budget in its window, then JobUnhealthy and a redeploy from its newest checkpoint', () => {
    const w = new World();
    w.stableV1(spec({ stream_config: { restart_budget: { max_restarts: 2, window: '5m' } } }));
    w.observe({ restarts: 1, completed: 3, checkpointPath: 'file:/tmp/cp/v1/chk-3' });
    w.now += 10 * SECOND;
    expect(w.observe({ flinkState: 'RESTARTING', restarts: 2 }).requests).toEqual([]);
    const d = w.observe({ flinkState: 'RESTARTING', restarts: 3 });
    expect(w.events.at(-1)).toMatchObject({ type: 'JobUnhealthy', payload: { restarts: 3, remedy: 'redeploy' } });
    expect(w.state.lastError?.code).toBe('FJC_RESTART_BUDGET_EXCEEDED');
    expect(d.requests[0]?.payload.action).toMatchObject({ kind: 'Cancel' });
    w.succeed();
    expect(w.state.pending?.request).toMatchObject({ action: { kind: 'Deploy', specVersion: 1, restoreFrom: { kind: 'checkpoint', path: 'file:/tmp/cp/v1/chk-3' } } });
    expectRebuildAgrees(w);
  });

  it('given a redeploy planned from the newest observed checkpoint, when the cancel reports the checkpoint it retained, then the new job starts from that one', () => {
    const w = new World();
    w.stableV1(spec({ stream_config: { restart_budget: { max_restarts: 1, window: '5m' } } }));
    const first = w.state.current?.flinkJobId as string;
    w.observe({ restarts: 1, completed: 3, checkpointPath: 'file:/tmp/cp/v1/chk-3' });
    const d = w.observe({ flinkState: 'RESTARTING', restarts: 2 });
    expect(d.requests[0]?.payload.action).toEqual({ kind: 'Cancel', flinkJobId: first, keepState: true });
    // The end observed before the action's result, with statistics that lagged.
    w.observe({ flinkState: 'CANCELED', completed: 4, checkpointPath: 'file:/tmp/cp/v1/chk-4' });
    // Flink completed checkpoints 4 and 5 after the last observation and subsumed 3.
    const retainedCheckpoint = { id: 5, path: 'file:/tmp/cp/v1/chk-5', completedAt: new Date(w.now).toISOString() };
    w.succeed(undefined, { retainedCheckpoint });
    expect(w.state.pending?.request).toMatchObject({ action: { kind: 'Deploy', specVersion: 1, restoreFrom: { kind: 'checkpoint', path: 'file:/tmp/cp/v1/chk-5' } } });
    expect(w.state.lastCheckpoint).toEqual({ flinkJobId: first, ...retainedCheckpoint });
    w.succeed();
    w.observe();
    expect(w.events.find((e) => e.type === 'RollbackCompleted')?.payload).toMatchObject({ restoredFrom: { kind: 'checkpoint', path: 'file:/tmp/cp/v1/chk-5' } });
    expectRebuildAgrees(w);
  });

  it('given a job that keeps failing after three redeploys, then only the alert', () => {
    const w = new World();
    w.stableV1(spec({ stream_config: { restart_budget: { max_restarts: 1, window: '5m' } } }));
    w.observe({ restarts: 0, completed: 3, checkpointPath: 'file:/tmp/cp/v1/chk-3' });
    for (let round = 1; round <= 3; round++) {
      w.observe({ flinkState: 'RESTARTING', restarts: 2 });
      expect(w.events.at(-1)).toMatchObject({ type: 'JobUnhealthy', payload: { remedy: 'redeploy' } });
      w.succeed(); // the cancel
      w.succeed(); // the fresh deploy
      w.resync();
      w.observe({ restarts: 0 });
    }
    const d = w.observe({ flinkState: 'RESTARTING', restarts: 2 });
    expect(w.events.at(-1)).toMatchObject({ type: 'JobUnhealthy', payload: { remedy: 'alert' } });
    expect(d.requests).toEqual([]);
    expect(lifecycleChange(w.state, 'test')?.change.alert).toBe(true);
    expectRebuildAgrees(w);
  });

  it('given restarts spread wider than the window, then nothing happens', () => {
    const w = new World();
    w.stableV1(spec({ stream_config: { restart_budget: { max_restarts: 2, window: '1m' } } }));
    for (let r = 1; r <= 5; r++) {
      w.now += 61 * SECOND;
      expect(w.observe({ restarts: r }).requests).toEqual([]);
    }
    expect(types(w)).not.toContain('JobUnhealthy');
  });

  it('shows RESTARTING as it is', () => {
    const w = new World();
    w.stableV1(savepointSpec());
    w.observe({ flinkState: 'RESTARTING', restarts: 1 });
    expect(lifecycleOf(w.state)).toBe('RESTARTING');
  });
});

describe('savepoint retention', () => {
  it('given keep_last 2, then older periodic savepoints are disposed of, never the newest nor the one v1 needs', () => {
    const w = new World();
    w.stableV1(spec({ stream_config: { savepoint_retention: { keep_last: 2 } } }));
    const job = () => w.state.current?.flinkJobId;
    const disposals: string[] = [];
    for (let n = 1; n <= 5; n++) {
      w.now += 60 * SECOND;
      const d = w.given('ActionSucceeded', { actionId: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`, kind: 'TriggerSavepoint', flinkJobId: job(), savepoint: { triggerId: 'b'.repeat(32), location: `file:/tmp/sp/p${n}` } });
      for (const r of d.requests) if (r.payload.action.kind === 'DisposeSavepoint') disposals.push(r.payload.action.path);
    }
    // p5 and p4 are the newest two; v1's (the stable version's) newest is p5, pinned anyway.
    expect(disposals).toEqual(['file:/tmp/sp/p1', 'file:/tmp/sp/p2', 'file:/tmp/sp/p3']);
    const first = (w.state.savepoints ?? []).find((s) => s.path === 'file:/tmp/sp/p1');
    expect(first?.disposing).toBeTruthy();
    w.given('ActionSucceeded', { actionId: first?.disposing, kind: 'DisposeSavepoint', flinkJobId: job() });
    expect((w.state.savepoints ?? []).map((s) => s.path)).not.toContain('file:/tmp/sp/p1');
    expectRebuildAgrees(w);
  });
});

describe('a failed upgrade', () => {
  it('given v1 stable and v2 refused by Flink for good after v1 stopped, then v1 starts again from the savepoint it left', () => {
    const w = new World();
    w.stableV1(savepointSpec());
    const v1Job = w.state.current?.flinkJobId as string;
    w.apply(2, savepointSpec(['--v2']));
    // The deployer reports the stop's savepoint as soon as Flink has it, then the submission fails.
    w.given('JobObserved', { flinkJobId: v1Job, flinkState: 'FINISHED', savepoint: { triggerId: 'c'.repeat(32), status: 'COMPLETED', location: SP1 } });
    const failed = w.given('ActionFailed', { actionId: w.state.pending?.actionId, kind: 'Upgrade', error: { code: 'FJC_FLINK_PROGRAM_INVALID', message: 'ClassNotFoundException: dev.fjc.testjob.TestJobb', retryable: false } });
    expect(types(w)).toEqual(expect.arrayContaining(['SavepointRecorded', 'RollbackStarted']));
    expect(w.events.at(-1)).toMatchObject({ type: 'RollbackStarted', payload: { fromVersion: 2, toVersion: 1, restoreFrom: { kind: 'savepoint', path: SP1 } } });
    expect(failed.requests[0]?.payload.action).toMatchObject({ kind: 'Deploy', specVersion: 1, restoreFrom: { kind: 'savepoint', path: SP1 } });
    w.succeed();
    w.observe();
    expect(lifecycleOf(w.state)).toBe('ROLLED_BACK');
    expect(w.state.failedVersion).toMatchObject({ version: 2, error: { code: 'FJC_FLINK_PROGRAM_INVALID' } });
    expectRebuildAgrees(w);
  });
});

describe('the next look', () => {
  it('given a candidate, then the decision says when its gates can next change: the minimum running time, then the deadline', () => {
    const w = new World();
    w.apply(1, savepointSpec());
    w.succeed();
    const d = w.observe({ completed: 0 });
    expect(d.wait).toEqual({ reason: 'stability gate: minimum running time', retryAt: new Date(T0 + 30 * SECOND).toISOString() });
    const later = w.advance(31 * SECOND);
    expect(later.wait).toEqual({ reason: 'stability gate deadline', retryAt: new Date(T0 + 10 * 60 * SECOND + 1).toISOString() });
  });

  it('given a stable job without periodic savepoints, then nothing is due', () => {
    const w = new World();
    w.stableV1(savepointSpec());
    expect(w.resync().wait).toBeNull();
  });
});
