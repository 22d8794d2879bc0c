// Pure judgements the decider makes about a stream job's health: whether a candidate passed or
// failed its stability gates (stream_config.stability), whether the restart budget is spent,
// which state a version restores from, and which savepoints retention lets go.
import { specHash, type ErrorInfo, type JobSpec, type StabilityEvidence, type StreamJobSpec } from '@fjc/contracts';
import { activeRun, retryDue, type FlinkRun, type JobState, type RestoreSource, type SavepointRecord } from './job-state';

export type GateVerdict =
  | { readonly kind: 'passed'; readonly evidence: StabilityEvidence }
  | { readonly kind: 'failed'; readonly error: ErrorInfo; readonly evidence: StabilityEvidence }
  | { readonly kind: 'pending'; readonly evidence: StabilityEvidence; readonly unmet: readonly string[] };

const BACKPRESSURE_RANK = { ok: 0, low: 1, high: 2 } as const;

export function evidenceOf(state: JobState, run: FlinkRun, since: string, now: Date): StabilityEvidence {
  const health = state.health?.flinkJobId === run.flinkJobId ? state.health : null;
  const runningSince = run.state === 'RUNNING' ? (health?.runningSince ?? null) : null;
  return {
    flinkState: run.state,
    runningForMs: runningSince ? Math.max(0, now.getTime() - Date.parse(runningSince)) : 0,
    candidateForMs: Math.max(0, now.getTime() - Date.parse(since)),
    checkpointsCompleted: health?.checkpointsCompleted ?? null,
    restarts: health?.restarts ?? null,
    recordsOutPerSecond: health?.recordsOutPerSecond ?? null,
    backpressure: state.backpressure,
  };
}

/** Judges the candidate's running job against its gates at `now`. */
export function judgeCandidate(state: JobState, spec: StreamJobSpec, run: FlinkRun, since: string, now: Date): GateVerdict {
  const gates = spec.stream_config.stability;
  const evidence = evidenceOf(state, run, since, now);
  if ((evidence.restarts ?? 0) > gates.max_restarts) {
    return {
      kind: 'failed',
      evidence,
      error: { code: 'FJC_STABILITY_TOO_MANY_RESTARTS', message: `the Flink job ${run.flinkJobId} restarted ${evidence.restarts} times; stream_config.stability.max_restarts allows ${gates.max_restarts}` },
    };
  }
  const unmet: string[] = [];
  if (run.state !== 'RUNNING') unmet.push(`the job is ${run.state}, not RUNNING`);
  else if (evidence.runningForMs < gates.min_running_time) unmet.push(`RUNNING for ${Math.floor(evidence.runningForMs / 1000)} s of ${gates.min_running_time / 1000} s`);
  if (gates.min_checkpoints > 0 && (evidence.checkpointsCompleted ?? 0) < gates.min_checkpoints) {
    unmet.push(`${evidence.checkpointsCompleted ?? 0} of ${gates.min_checkpoints} checkpoints completed`);
  }
  if (gates.min_records_out_per_second !== undefined && !((evidence.recordsOutPerSecond ?? -1) > gates.min_records_out_per_second)) {
    unmet.push(`records out per second ${evidence.recordsOutPerSecond ?? 'unknown'}, wanted above ${gates.min_records_out_per_second}`);
  }
  if (gates.max_backpressure !== undefined && (evidence.backpressure === null || BACKPRESSURE_RANK[evidence.backpressure] > BACKPRESSURE_RANK[gates.max_backpressure])) {
    unmet.push(`back pressure ${evidence.backpressure ?? 'not sampled yet'}, wanted at most ${gates.max_backpressure}`);
  }
  if (unmet.length === 0) return { kind: 'passed', evidence };
  if (evidence.candidateForMs > gates.deadline) {
    return {
      kind: 'failed',
      evidence,
      error: { code: 'FJC_STABILITY_GATE_TIMEOUT', message: `version ${state.candidate?.version ?? run.specVersion} did not pass its stability gates within ${gates.deadline / 1000} s: ${unmet.join('; ')}` },
    };
  }
  return { kind: 'pending', evidence, unmet };
}

/** Restarts of the current job within the restart budget's window, at `now`. */
export function restartsInWindow(state: JobState, spec: StreamJobSpec, now: Date): number {
  const from = now.getTime() - spec.stream_config.restart_budget.window;
  return (state.restartTimes ?? []).filter((t) => Date.parse(t) >= from).length;
}

/** The newest state the log proves for the job: its latest retained checkpoint or savepoint. */
export function newestKnownState(state: JobState): RestoreSource | null {
  const checkpoint = state.lastCheckpoint ?? null;
  const savepoint = state.lastSavepoint;
  const savepointAt = state.lastSavepointTakenAt ?? state.lastSavepointAt;
  if (checkpoint && (!savepoint || !savepointAt || Date.parse(checkpoint.completedAt) >= Date.parse(savepointAt))) {
    return { kind: 'checkpoint', path: checkpoint.path };
  }
  return savepoint ? { kind: 'savepoint', path: savepoint } : null;
}

/** The newest state that belongs to a version (its own savepoints and retained checkpoints, or
 *  those of a version with the same spec): what a rollback to it restores, so state matches code. */
export function stateOfVersion(state: JobState, version: number, spec: JobSpec | null): RestoreSource | null {
  const hash = spec ? specHash(spec) : null;
  const savepoints = (state.savepoints ?? []).filter((s) => !s.disposing && (s.version === version || (hash !== null && s.specHash === hash)));
  const savepoint = savepoints.reduce<SavepointRecord | null>((a, b) => (a === null || Date.parse(b.takenAt) >= Date.parse(a.takenAt) ? b : a), null);
  const checkpoints = (state.versionCheckpoints ?? []).filter((c) => c.version === version);
  const checkpoint = checkpoints.reduce<(typeof checkpoints)[number] | null>((a, b) => (a === null || Date.parse(b.completedAt) >= Date.parse(a.completedAt) ? b : a), null);
  if (checkpoint && (!savepoint || Date.parse(checkpoint.completedAt) > Date.parse(savepoint.takenAt))) return { kind: 'checkpoint', path: checkpoint.path };
  return savepoint ? { kind: 'savepoint', path: savepoint.path } : null;
}

/** Savepoints retention lets go: beyond the newest keep_last and older than max_age, never the
 *  newest one nor the one a rollback to the last stable version would restore. */
export function disposableSavepoints(state: JobState, spec: StreamJobSpec, now: Date): SavepointRecord[] {
  const retention = spec.stream_config.savepoint_retention;
  const all = [...(state.savepoints ?? [])].sort((a, b) => Date.parse(b.takenAt) - Date.parse(a.takenAt));
  const pinned = new Set<string>();
  if (state.lastSavepoint) pinned.add(state.lastSavepoint);
  if (all[0]) pinned.add(all[0].path);
  if (state.lastStableVersion !== null) {
    const stable = stateOfVersion(state, state.lastStableVersion, state.stableSpec ?? null);
    if (stable?.kind === 'savepoint') pinned.add(stable.path);
  }
  const rollbackFrom = state.rollback?.restoreFrom;
  if (rollbackFrom?.kind === 'savepoint') pinned.add(rollbackFrom.path);
  return all.filter((s, index) => {
    if (index < retention.keep_last || pinned.has(s.path) || s.disposing) return false;
    if ((s.disposeFailures ?? 0) >= 3) return false;
    return retention.max_age === undefined || now.getTime() - Date.parse(s.takenAt) > retention.max_age;
  });
}

/** The next moment a decision about the job depends on time alone, after `now`: a candidate's
 *  running time or deadline, a retry back-off, a periodic savepoint, a batch ttl, a clean-up
 *  asked for again, a resend. */
export function nextLook(state: JobState, now: Date, resendAfterMs: number): { readonly reason: string; readonly retryAt: string } | null {
  const candidates: Array<[string, number]> = [];
  const at = (reason: string, ms: number) => {
    if (Number.isFinite(ms) && ms > now.getTime()) candidates.push([reason, ms]);
  };
  if (state.pending) at(`resend ${state.pending.kind} without result`, Date.parse(state.pending.requestedAt) + resendAfterMs);
  if (state.retryAfter) at('retry back-off ends', Date.parse(state.retryAfter));
  const spec = state.desired?.spec;
  const run = activeRun(state.current);
  if (spec?.job_type === 'stream' && run) {
    const gates = spec.stream_config.stability;
    const candidate = state.candidate;
    if (candidate && candidate.flinkJobId === run.flinkJobId) {
      const since = state.health?.flinkJobId === run.flinkJobId ? state.health.runningSince : null;
      if (since) at('stability gate: minimum running time', Date.parse(since) + gates.min_running_time);
      at('stability gate deadline', Date.parse(candidate.since) + gates.deadline + 1);
    }
    const interval = spec.stream_config.savepoint_trigger_interval;
    if (interval !== undefined) at('periodic savepoint', Date.parse(state.lastSavepointAt ?? run.startedAt) + interval);
  }
  const retry = retryDue(state);
  if (spec?.job_type === 'batch' && retry) at('batch retry', Date.parse(retry.retryAt));
  const cleanUpRetry = state.cleanUpFailures?.retryAt;
  if (spec?.job_type === 'batch' && cleanUpRetry && !state.cleanUp) at('clean-up retry', Date.parse(cleanUpRetry));
  if (spec?.job_type === 'batch' && run) {
    const config = spec.batch_config;
    const expired = state.expiredRun?.flinkJobId === run.flinkJobId ? state.expiredRun : null;
    if (expired) at('batch limit: cancel after the stop grace period', Date.parse(expired.cancelAt) + 1);
    else {
      if (config.ttl_seconds !== undefined) at('batch ttl', Date.parse(run.startedAt) + config.ttl_seconds * 1000 + 1);
      if (config.completion_timeout_seconds !== undefined) at('batch completion timeout', Date.parse(run.startedAt) + config.completion_timeout_seconds * 1000 + 1);
    }
  }
  if (candidates.length === 0) return null;
  const [reason, ms] = candidates.reduce((a, b) => (b[1] < a[1] ? b : a));
  return { reason, retryAt: new Date(ms).toISOString() };
}
