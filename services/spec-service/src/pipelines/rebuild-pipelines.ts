// Rebuilding the pipeline projections from the event log, inside the caller's transaction:
// pipelines from each pipeline's last PipelineApplied, runs by folding their streams
// (pipeline-run-<id>) with the same evolve the service uses, and which spec version of a stage
// job carries which attempt from the stage jobs' SpecUpdated events (their labels name run,
// stage and attempt). The next cron time is the first one after the pipeline's last scheduled
// run (or its last apply): a time skipped under forbid since then may run once after a rebuild.
import { PIPELINE_LABELS, PipelineAppliedV1, PipelineSpecSchema, type PipelineRunEvent, type PipelineSpec } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import { evolve, type PipelineRunState } from './domain/pipeline-run';
import { nextCheck, nextFire } from './pipeline-runs';
import * as store from './persistence/pipeline-store';

interface LoggedRow {
  readonly stream_id: string;
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly stream_version: number;
  readonly occurred_at: Date;
}

export async function rebuildPipelines(tx: Queryable, now: Date): Promise<{ pipelines: number; runs: number }> {
  await tx.query('delete from pipeline_stage_jobs; delete from pipeline_runs; delete from pipelines');
  const { rows: applied } = await tx.query<LoggedRow>(`select stream_id, type, payload, stream_version, occurred_at from event_log where type = 'PipelineApplied' order by tx_id, position`);
  const versions = new Map<string, Map<number, PipelineSpec>>();
  const latest = new Map<string, { version: number; spec: PipelineSpec; at: Date }>();
  for (const row of applied) {
    const p = PipelineAppliedV1.parse(row.payload);
    const spec = PipelineSpecSchema.parse(p.spec);
    versions.set(p.pipelineId, (versions.get(p.pipelineId) ?? new Map()).set(p.version, spec));
    latest.set(p.pipelineId, { version: p.version, spec, at: row.occurred_at });
  }

  const { rows: runEvents } = await tx.query<LoggedRow>(
    `select stream_id, type, payload, stream_version, occurred_at from event_log where stream_id like 'pipeline-run-%' order by stream_id, stream_version`,
  );
  const lastScheduled = new Map<string, Date>();
  let runs = 0;
  for (const events of groupByStream(runEvents)) {
    const first = events[0];
    if (!first || first.type !== 'PipelineRunStarted') continue;
    const started = first.payload as { runId: string; pipelineId: string; pipelineVersion: number; trigger: 'schedule' | 'manual'; scheduledTime: string };
    const spec = versions.get(started.pipelineId)?.get(started.pipelineVersion);
    if (!spec) throw new Error(`run ${started.runId}: pipeline ${started.pipelineId} version ${started.pipelineVersion} is not in the log`);
    const names = spec.stages.map((s) => s.name);
    const state = events.reduce<PipelineRunState | null>((s, e) => evolve(s, { type: e.type, payload: e.payload } as PipelineRunEvent, names), null);
    if (!state) continue;
    const ended = state.status === 'RUNNING' ? undefined : events.filter((e) => e.type === 'PipelineRunEnded').at(-1);
    const last = events[events.length - 1] as LoggedRow;
    await store.saveRun(
      tx,
      { runId: started.runId, pipelineId: started.pipelineId, pipelineVersion: state.pipelineVersion, trigger: started.trigger, state, streamVersion: last.stream_version, startedAt: first.occurred_at, endedAt: ended?.occurred_at ?? null },
      nextCheck(state),
    );
    if (started.trigger === 'schedule') {
      const at = new Date(started.scheduledTime);
      if (at > (lastScheduled.get(started.pipelineId) ?? new Date(0))) lastScheduled.set(started.pipelineId, at);
    }
    runs++;
  }

  for (const [pipelineId, { version, spec, at }] of latest) {
    const scheduled = lastScheduled.get(pipelineId);
    const from = scheduled && scheduled > at ? scheduled : at;
    await store.savePipeline(tx, { pipelineId, namespace: spec.namespace, version, spec, nextFireAt: nextFire(spec, from) }, now);
  }

  const { rows: stageSpecs } = await tx.query<{ job_id: string; version: number; labels: Record<string, string> }>(
    `select job_id, (payload->>'version')::int as version, payload->'spec'->'labels' as labels from event_log
      where type = 'SpecUpdated' and payload->'spec'->'labels' ? $1`,
    [PIPELINE_LABELS.run],
  );
  for (const r of stageSpecs) {
    const runId = r.labels[PIPELINE_LABELS.run];
    const stage = r.labels[PIPELINE_LABELS.stage];
    const attempt = Number(r.labels[PIPELINE_LABELS.attempt]);
    if (runId && stage && Number.isInteger(attempt)) await store.recordStageJob(tx, r.job_id, r.version, runId, stage, attempt);
  }
  return { pipelines: latest.size, runs };
}

function groupByStream(rows: readonly LoggedRow[]): LoggedRow[][] {
  const groups = new Map<string, LoggedRow[]>();
  for (const row of rows) groups.set(row.stream_id, [...(groups.get(row.stream_id) ?? []), row]);
  return [...groups.values()];
}
