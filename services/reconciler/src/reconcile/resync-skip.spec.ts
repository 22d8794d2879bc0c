// The resync's shortcut, purely: a job is skipped only when reconciling it again would write
// nothing (same state, no event, no request, no lifecycle change, same next look).
import type { JobSpec } from '@fjc/contracts';
import type { Logger } from 'nestjs-pino';
import type { EventWriter } from '@fjc/service-runtime';
import { JOB, T0, counterIds, spec, testEvent } from '../testing/fixtures';
import { decide, RESEND_AFTER_MS } from '../domain/decide';
import { evolve } from '../domain/evolve';
import type { ReconcilerInput } from '../domain/inputs';
import { initialJobState, type JobState } from '../domain/job-state';
import { lifecycleChange, lifecycleOf } from '../domain/lifecycle';
import type { ReconcilerMetrics } from '../metrics/reconciler-metrics';
import type { ResyncRow } from './job-store';
import { ReconcileJob } from './reconcile-job';

const specUpdated = (s: JobSpec) => testEvent(1, 'SpecUpdated', { version: 1, specHash: `sha256:${'0'.repeat(64)}`, spec: s, warnings: [] }, T0) as ReconcilerInput;

/** The row the service saves after deciding on the spec at T0 (state announced, as stored in jsonb). */
function savedRow(s: JobSpec): ResyncRow {
  const decision = decide(evolve(initialJobState(JOB), specUpdated(s)), new Date(T0), counterIds());
  const change = lifecycleChange(decision.state, 'SpecUpdated');
  const state: JobState = change ? { ...decision.state, announced: change.announced } : decision.state;
  return { job_id: JOB, state: JSON.parse(JSON.stringify(state)) as JobState, lifecycle: lifecycleOf(state), next_look_at: decision.wait ? new Date(decision.wait.retryAt) : null };
}

function reconcilerAt(now: number): { job: ReconcileJob; noops: () => number } {
  let noops = 0;
  const metrics = { decisions: { inc: () => void noops++ } } as unknown as ReconcilerMetrics;
  const job = new ReconcileJob({} as EventWriter, { now: () => new Date(now) }, counterIds(), {} as Logger, metrics);
  return { job, noops: () => noops };
}

describe('resync shortcut', () => {
  it('skips a suspended job whose resync changes nothing, and counts the decision', () => {
    const row = savedRow(spec({ state: 'suspended' }));
    expect(row.lifecycle).toBe('SUSPENDED');
    const { job, noops } = reconcilerAt(T0 + 3_600_000);
    expect(job.resyncChangesNothing(row)).toBe(true);
    expect(noops()).toBe(1);
  });

  it('does not skip a job with an action in flight past the re-send age (the resync asks again)', () => {
    const row = savedRow(spec());
    expect(row.state.pending?.kind).toBe('Deploy');
    expect(reconcilerAt(T0 + 1_000).job.resyncChangesNothing(row)).toBe(true);
    expect(reconcilerAt(T0 + RESEND_AFTER_MS + 1_000).job.resyncChangesNothing(row)).toBe(false);
  });

  it('does not skip a job whose stored state or lifecycle differs from what the decision keeps', () => {
    const row = savedRow(spec({ state: 'suspended' }));
    const { job } = reconcilerAt(T0 + 60_000);
    expect(job.resyncChangesNothing({ ...row, lifecycle: 'RUNNING' })).toBe(false);
    expect(job.resyncChangesNothing({ ...row, state: { ...row.state, announced: null } as unknown as JobState })).toBe(false);
  });
});
