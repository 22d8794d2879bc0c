// The rebuild's promise, purely: run the live reconciler's steps (evolve, decide, announce) over
// a job's history, write down the log it leaves (inputs and its own events, in order), fold that
// log back with recallInput/recallOwn, and get the state the live reconciler kept.
import type { FjcEvent } from '@fjc/contracts';
import { JOB, T0, spec, testEvent } from '../testing/fixtures';
import { decide } from './decide';
import { evolve } from './evolve';
import type { IdSource } from './ids';
import type { ReconcilerInput } from './inputs';
import { initialJobState, type JobState } from './job-state';
import { lifecycleChange } from './lifecycle';
import { recallInput, recallOwn, type OwnEvent, type TickRuns } from './recall';



const batch = (policy: 'forbid' | 'allow', maxRuns: number, state: 'running' | 'suspended' = 'running') =>
  spec({ job_type: 'batch', state, deployment: { parallelism: 1 }, batch_config: { cron: '*/5 * * * *', timezone: 'UTC', concurrency_policy: policy, max_runs: maxRuns } });

/** The live reconciler and the log it leaves behind. */
class LiveJob {
  state: JobState = initialJobState(JOB);
  readonly log: Array<{ input: ReconcilerInput } | { own: OwnEvent }> = [];
  private seq = 0;
  private a = 0;
  private f = 0;
  private readonly ids: IdSource = {
    actionId: () => `00000000-0000-4000-8000-${String(++this.a).padStart(12, '0')}`,
    flinkId: () => (++this.f).toString(16).padStart(32, '0'),
  };

  /** An input arrives at `at` (the live reconciler reads it `lagMs` later) - or a resync when null. */
  step(input: ReconcilerInput | null, now: number): void {
    if (input) this.log.push({ input });
    const evolved = input ? evolve(this.state, input) : this.state;
    const decision = decide(evolved, new Date(now), this.ids, { resync: input === null });
    let state = decision.state;
    for (const e of decision.events ?? []) {
      this.log.push({ own: this.own(e.event.type, e.event.payload, now, e.cause.actor, e.cause.eventId) });
    }
    for (const r of decision.requests) {
      this.log.push({ own: this.own('ActionRequested', r.payload, now, r.cause.actor, r.cause.eventId) });
    }
    const change = lifecycleChange(state, 'test');
    if (change) {
      this.log.push({ own: this.own('LifecycleChanged', change.change, now, input?.actor ?? { kind: 'service', id: 'reconciler' }, input?.id ?? null) });
      state = { ...state, announced: change.announced };
    }
    this.state = state;
  }

  input<T extends ReconcilerInput['type']>(type: T, payload: Extract<ReconcilerInput, { type: T }>['payload'], at: number, lagMs = 5): void {
    const event = this.envelope(type, payload, at, { kind: 'user', id: 'alice' }, null) as ReconcilerInput;
    this.step(event, at + lagMs);
  }

  /** The deployer's answer to the action in flight. */
  succeed(at: number, extra: Record<string, unknown> = {}): string {
    const pending = this.state.pending;
    if (!pending) throw new Error('nothing pending');
    this.input('ActionSucceeded', { actionId: pending.actionId, kind: pending.kind, flinkJobId: pending.flinkJobId, ...extra } as never, at);
    return pending.flinkJobId;
  }

  private own(type: OwnEvent['type'], payload: unknown, now: number, actor: FjcEvent['actor'], causationId: string | null): OwnEvent {
    return this.envelope(type, payload, now, actor, causationId) as OwnEvent;
  }

  private envelope(type: string, payload: unknown, at: number, actor: FjcEvent['actor'], causationId: string | null): FjcEvent {
    return testEvent(++this.seq, type, payload, at, actor, causationId);
  }
}

function rebuild(log: LiveJob['log']): JobState {
  const ticks: TickRuns = new Map();
  return log.reduce((state, entry) => ('input' in entry ? recallInput(state, entry.input, ticks) : recallOwn(state, entry.own, ticks)), initialJobState(JOB));
}

const min = 60_000;
const sp = (n: number) => ({ savepoint: { kind: 'savepoint' as const, location: `file:///sp/${n}` } });

describe('recall: a job state rebuilt from its log equals the live one', () => {
  it('through deploy, upgrade, savepoints, suspend, resume, a failed deploy and its retry, and delete', () => {
    const job = new LiveJob();
    job.input('SpecUpdated', { version: 1, specHash: `sha256:${'1'.repeat(64)}`, spec: spec(), warnings: [] }, T0);
    const first = job.succeed(T0 + 1000);
    job.input('JobObserved', { flinkJobId: first, flinkState: 'RUNNING' }, T0 + 2000);
    job.input('SpecUpdated', { version: 2, specHash: `sha256:${'2'.repeat(64)}`, spec: spec({ labels: { team: 'a' } }), warnings: [] }, T0 + 3000); // metadata only
    job.input('SpecUpdated', { version: 3, specHash: `sha256:${'3'.repeat(64)}`, spec: spec({ deployment: { parallelism: 2, upgrade_mode: 'savepoint' } }), warnings: [] }, T0 + 4000);
    const second = job.succeed(T0 + 5000, sp(1));
    job.input('JobObserved', { flinkJobId: second, flinkState: 'RUNNING' }, T0 + 6000);
    job.input('SavepointRequested', { requestId: '20000000-0000-4000-8000-000000000001' }, T0 + 7000);
    job.input('ActionSucceeded', { actionId: '00000000-0000-4000-8000-000000000003', kind: 'TriggerSavepoint', flinkJobId: second, ...sp(2) } as never, T0 + 8000);
    job.input('JobSuspendRequested', { version: 4, specHash: `sha256:${'4'.repeat(64)}`, spec: spec({ state: 'suspended', deployment: { parallelism: 2, upgrade_mode: 'savepoint' } }) }, T0 + 9000);
    job.succeed(T0 + 10_000, sp(3));
    job.input('JobResumeRequested', { version: 5, specHash: `sha256:${'5'.repeat(64)}`, spec: spec({ deployment: { parallelism: 2, upgrade_mode: 'savepoint' } }) }, T0 + 11_000);
    const failed = job.state.pending;
    job.input('ActionFailed', { actionId: failed?.actionId ?? '', kind: 'Deploy', error: { code: 'FJC_FLINK_UNAVAILABLE', message: 'down', retryable: true } } as never, T0 + 12_000);
    job.step(null, T0 + 20_000); // the resync after the back-off asks again
    job.step(null, T0 + 20_000 + 3 * min); // ...and re-sends it when no result comes
    expect(job.state.pending?.requestedAt).toBe(new Date(T0 + 20_000 + 3 * min).toISOString());
    expect(rebuild(job.log)).toEqual(job.state); // mid-flight too
    const third = job.succeed(T0 + 30 * min);
    job.input('JobObserved', { flinkJobId: third, flinkState: 'RUNNING', backpressure: 'high' } as never, T0 + 31 * min);
    job.input('JobDeleteRequested', { lastVersion: 5 }, T0 + 32 * min);
    job.succeed(T0 + 33 * min);

    expect(job.state).toMatchObject({ deleted: true, lastSavepoint: 'file:///sp/3', failures: 0, pending: null, announced: { state: 'DELETED' } });
    expect(rebuild(job.log)).toEqual(job.state);
  });

  it('through checkpoints and a lost job restored from one, twice', () => {
    const job = new LiveJob();
    job.input('SpecUpdated', { version: 1, specHash: `sha256:${'1'.repeat(64)}`, spec: spec(), warnings: [] }, T0);
    const first = job.succeed(T0 + 1000);
    job.input('JobObserved', { flinkJobId: first, flinkState: 'RUNNING' }, T0 + 2000);
    job.input('JobObserved', { flinkJobId: first, flinkState: 'RUNNING', lastCheckpoint: { id: 1, path: `file:/chk/${first}/chk-1`, completedAt: new Date(T0 + 3000).toISOString() } }, T0 + 3000);
    job.input('JobObserved', { flinkJobId: first, flinkState: 'NOT_FOUND' }, T0 + 4000);
    expect(job.state.pending?.request).toMatchObject({ action: { restoreFrom: { kind: 'checkpoint', path: `file:/chk/${first}/chk-1` } } });
    const second = job.succeed(T0 + 5000);
    expect(rebuild(job.log)).toEqual(job.state);
    // Lost again before anything was recorded of the new run: the checkpoint it restored from still stands.
    job.input('JobObserved', { flinkJobId: second, flinkState: 'NOT_FOUND' }, T0 + 6000);
    expect(job.state.pending?.request).toMatchObject({ action: { restoreFrom: { kind: 'checkpoint', path: `file:/chk/${first}/chk-1` } } });
    expect(job.succeed(T0 + 7000)).not.toBe(second);
    expect(rebuild(job.log)).toEqual(job.state);
  });

  it('a job that went NEEDS_ATTENTION and was recovered rebuilds to the live state', () => {
    const job = new LiveJob();
    job.input('SpecUpdated', { version: 1, specHash: `sha256:${'1'.repeat(64)}`, spec: spec(), warnings: [] }, T0);
    const first = job.succeed(T0 + 1000);
    job.input('JobObserved', { flinkJobId: first, flinkState: 'RUNNING' }, T0 + 2000);
    job.input('JobObserved', { flinkJobId: first, flinkState: 'NOT_FOUND' }, T0 + 3000);
    expect(job.state.announced?.state).toBe('NEEDS_ATTENTION');
    job.step(null, T0 + 10 * min); // resyncs ask for nothing
    expect(rebuild(job.log)).toEqual(job.state);
    job.input('JobRecoveryRequested', { requestId: '30000000-0000-4000-8000-000000000001', from: { kind: 'savepoint', path: 'file:/sp/manual' } }, T0 + 11 * min);
    expect(job.state.pending?.request).toMatchObject({ action: { kind: 'Deploy', restoreFrom: { kind: 'savepoint', path: 'file:/sp/manual' } } });
    expect(rebuild(job.log)).toEqual(job.state);
    job.succeed(T0 + 12 * min);
    expect(job.state).toMatchObject({ needsAttention: null, recovery: null, announced: { state: 'DEPLOYING' } });
    expect(rebuild(job.log)).toEqual(job.state);
  });

  it('for a cron batch job: runs started by ticks, a tick skipped under forbid, max_runs, suspend', () => {
    const job = new LiveJob();
    const tick = (n: number, at: number) => job.input('ScheduleTick', { scheduledTime: new Date(at).toISOString(), specVersion: 1, runNumber: n, cron: '*/5 * * * *', timezone: 'UTC' }, at);
    job.input('SpecUpdated', { version: 1, specHash: `sha256:${'1'.repeat(64)}`, spec: batch('forbid', 3), warnings: [] }, T0);
    tick(1, T0 + 5 * min);
    const run1 = job.succeed(T0 + 5 * min + 1000);
    job.input('JobObserved', { flinkJobId: run1, flinkState: 'RUNNING' }, T0 + 6 * min);
    tick(2, T0 + 10 * min); // still running: skipped, with no event of its own
    job.input('JobObserved', { flinkJobId: run1, flinkState: 'FINISHED' }, T0 + 11 * min);
    tick(3, T0 + 15 * min);
    const run3 = job.succeed(T0 + 15 * min + 1000);
    job.input('JobObserved', { flinkJobId: run3, flinkState: 'FINISHED' }, T0 + 16 * min);
    tick(4, T0 + 20 * min); // past max_runs
    expect(job.state).toMatchObject({ runsStarted: 3, dueTicks: [], announced: { state: 'FINISHED' } });
    expect(rebuild(job.log)).toEqual(job.state);

    job.input('SpecUpdated', { version: 2, specHash: `sha256:${'2'.repeat(64)}`, spec: batch('allow', 10), warnings: [] }, T0 + 21 * min);
    tick(5, T0 + 25 * min);
    const run5 = job.succeed(T0 + 25 * min + 1000);
    job.input('JobObserved', { flinkJobId: run5, flinkState: 'RUNNING' }, T0 + 26 * min);
    tick(6, T0 + 30 * min); // allow: a second run beside the first
    job.succeed(T0 + 30 * min + 1000);
    job.input('JobSuspendRequested', { version: 3, specHash: `sha256:${'3'.repeat(64)}`, spec: batch('allow', 10, 'suspended') }, T0 + 31 * min);
    expect(job.state.others.map((r) => r.flinkJobId)).toEqual([run5]);
    expect(rebuild(job.log)).toEqual(job.state);
  });

  it('for a cron batch job at max_runs: a clean-up that failed, the one asked for again, and its success', () => {
    const job = new LiveJob();
    const tick = (n: number, at: number) => job.input('ScheduleTick', { scheduledTime: new Date(at).toISOString(), specVersion: 1, runNumber: n, cron: '*/5 * * * *', timezone: 'UTC' }, at);
    job.input('SpecUpdated', { version: 1, specHash: `sha256:${'1'.repeat(64)}`, spec: batch('forbid', 2), warnings: [] }, T0);
    const runs: string[] = [];
    for (const n of [1, 2]) {
      tick(n, T0 + n * 5 * min);
      runs.push(job.succeed(T0 + n * 5 * min + 1000));
      job.input('JobObserved', { flinkJobId: runs[n - 1], flinkState: 'FINISHED' }, T0 + n * 5 * min + 2000);
    }
    const first = job.state.cleanUp;
    expect(first?.flinkJobIds).toEqual(runs);
    expect(rebuild(job.log)).toEqual(job.state);
    job.input('ActionFailed', { actionId: first?.actionId ?? '', kind: 'CleanUp', error: { code: 'FJC_FLINK_UNREACHABLE', message: 'connect ECONNREFUSED', retryable: true } }, T0 + 11 * min);
    expect(job.state).toMatchObject({ cleanUp: null, cleanUpFailures: { count: 1 } });
    expect(rebuild(job.log)).toEqual(job.state);
    job.step(null, T0 + 12 * min);
    const second = job.state.cleanUp;
    expect(second?.actionId).not.toBe(first?.actionId);
    job.input('ActionSucceeded', { actionId: second?.actionId ?? '', kind: 'CleanUp', jarsDeleted: 1, runsPruned: 2 }, T0 + 13 * min);
    expect(job.state).toMatchObject({ cleanUp: null, cleanUpFailures: null, runsToCleanUp: [], announced: { state: 'FINISHED' } });
    expect(rebuild(job.log)).toEqual(job.state);
  });

  it('for batch runs ended past ttl_seconds (stop refused, then cancel) and completion_timeout_seconds', () => {
    const job = new LiveJob();
    const limited = spec({ job_type: 'batch', deployment: { parallelism: 1, upgrade_mode: 'stateless' }, batch_config: { ttl_seconds: 60 } });
    job.input('SpecUpdated', { version: 1, specHash: `sha256:${'1'.repeat(64)}`, spec: limited, warnings: [] }, T0);
    const run1 = job.succeed(T0 + 1000);
    job.input('JobObserved', { flinkJobId: run1, flinkState: 'RUNNING' }, T0 + 2000);
    job.step(null, T0 + 62_000); // past the ttl: BatchRunExpired and a stop with a savepoint
    expect(job.state.pending?.kind).toBe('Stop');
    expect(rebuild(job.log)).toEqual(job.state);
    job.input('ActionFailed', { actionId: job.state.pending?.actionId ?? '', kind: 'Stop', error: { code: 'FJC_SAVEPOINT_FAILED', message: 'BATCH mode', retryable: true } } as never, T0 + 63_000);
    job.step(null, T0 + 70_000); // the cancel
    expect(job.state.pending?.kind).toBe('Cancel');
    job.succeed(T0 + 71_000);
    expect(job.state.announced).toMatchObject({ state: 'FAILED', lastErrorCode: 'FJC_BATCH_TTL_EXCEEDED' });
    expect(rebuild(job.log)).toEqual(job.state);

    const hung = spec({ job_type: 'batch', deployment: { parallelism: 1, upgrade_mode: 'stateless' }, batch_config: { completion_timeout_seconds: 30 } });
    job.input('SpecUpdated', { version: 2, specHash: `sha256:${'2'.repeat(64)}`, spec: hung, warnings: [] }, T0 + 2 * min);
    job.succeed(T0 + 2 * min + 1000);
    job.step(null, T0 + 3 * min); // never observed: cancelled at once
    job.succeed(T0 + 3 * min + 1000);
    expect(job.state.announced).toMatchObject({ state: 'FAILED', lastErrorCode: 'FJC_BATCH_COMPLETION_TIMEOUT' });
    expect(rebuild(job.log)).toEqual(job.state);
  });

  it('for a FAILED scheduled run retried under batch_config.retry: the retry keeps its run number', () => {
    const job = new LiveJob();
    const retried = spec({ job_type: 'batch', deployment: { parallelism: 1, upgrade_mode: 'stateless' }, batch_config: { cron: '*/5 * * * *', retry: { max_attempts: 2, backoff_seconds: 30 } } });
    job.input('SpecUpdated', { version: 1, specHash: `sha256:${'1'.repeat(64)}`, spec: retried, warnings: [] }, T0);
    job.input('ScheduleTick', { scheduledTime: new Date(T0 + 5 * min).toISOString(), specVersion: 1, runNumber: 1, cron: '*/5 * * * *', timezone: 'UTC' }, T0 + 5 * min);
    const run1 = job.succeed(T0 + 5 * min + 1000);
    job.input('JobObserved', { flinkJobId: run1, flinkState: 'FAILED', failure: { message: 'boom' } } as never, T0 + 6 * min);
    expect(rebuild(job.log)).toEqual(job.state);
    job.step(null, T0 + 7 * min); // the back-off is over: attempt 2 of 2
    expect(job.state.pending).toMatchObject({ kind: 'Deploy', runNumber: 1 });
    expect(rebuild(job.log)).toEqual(job.state);
    const run2 = job.succeed(T0 + 7 * min + 1000);
    job.input('JobObserved', { flinkJobId: run2, flinkState: 'FAILED', failure: { message: 'boom' } } as never, T0 + 8 * min);
    job.step(null, T0 + 20 * min); // no third attempt
    expect(job.state).toMatchObject({ pending: null, runsStarted: 1, announced: { state: 'FAILED' } });
    expect(rebuild(job.log)).toEqual(job.state);
  });
});
