// Rebuilding the reconciler's job states (reconciler_jobs) from the event log (recovery): every
// input folded as the live reconciler folds it and every ActionRequested and LifecycleChanged it
// appended folded back in (domain/recall.ts). From the start the table is cleared first; from a
// position the touched jobs continue from their saved rows (a table restored from a backup).
// One transaction: the reconciler sees the old table or the new one. Run it while the
// reconciler is stopped: inputs folded here and not yet consumed would be folded twice.
import type { Pool } from 'pg';
import { decodeEvent, EVENT_CATALOG, isEventType, type FjcEvent } from '@fjc/contracts';
import { inTransaction, replayLog, toEnvelope, type LogCheckpoint, type ProgressReport, type Queryable, type StoredEvent } from '@fjc/event-log';
import { isReconcilerInput } from '../domain/inputs';
import { initialJobState, type JobState } from '../domain/job-state';
import { lifecycleOf } from '../domain/lifecycle';
import { isDecisionEventType } from '../domain/own-events';
import { recallInput, recallOwn, type OwnEvent, type TickRuns } from '../domain/recall';

export interface ReconcilerRebuildReport {
  readonly replayed: number;
  readonly inputs: number;
  readonly ownEvents: number;
  readonly jobs: number;
}

interface Rebuilt {
  state: JobState;
  streamVersion: number;
}

export async function rebuildReconcilerJobs(
  pool: Pool,
  options: { from?: LogCheckpoint; onProgress?: (p: ProgressReport) => void; archived?: readonly StoredEvent[] } = {},
): Promise<ReconcilerRebuildReport> {
  return inTransaction(pool, async (tx) => {
    if (!options.from) await tx.query('delete from reconciler_jobs');
    const ticks: TickRuns = options.from ? await ticksInLog(tx, options.archived ?? []) : new Map();
    const jobs = new Map<string, Rebuilt>();
    const job = async (jobId: string): Promise<Rebuilt> => {
      let rebuilt = jobs.get(jobId);
      if (!rebuilt) {
        rebuilt = options.from ? await savedJob(tx, jobId) : { state: initialJobState(jobId), streamVersion: 0 };
        jobs.set(jobId, rebuilt);
      }
      return rebuilt;
    };
    let inputs = 0;
    let ownEvents = 0;
    const { replayed } = await replayLog(
      tx,
      async (stored) => {
        if (!isEventType(stored.type)) return;
        if (stored.streamId === `reconciler-${stored.jobId}`) {
          const event = decode(stored);
          if (event.type !== 'ActionRequested' && event.type !== 'LifecycleChanged' && !isDecisionEventType(event.type)) return;
          const rebuilt = await job(stored.jobId);
          rebuilt.state = recallOwn(rebuilt.state, event as OwnEvent, ticks);
          rebuilt.streamVersion = stored.streamVersion;
          ownEvents++;
        } else {
          const event = decode(stored);
          if (!isReconcilerInput(event)) return;
          const rebuilt = await job(stored.jobId);
          rebuilt.state = recallInput(rebuilt.state, event, ticks);
          inputs++;
        }
      },
      { from: options.from, onProgress: options.onProgress, archived: options.archived },
    );
    for (const { state, streamVersion } of jobs.values()) {
      await tx.query(
        `insert into reconciler_jobs (job_id, state, stream_version, lifecycle) values ($1, $2, $3, $4)
         on conflict (job_id) do update set state = excluded.state, stream_version = excluded.stream_version, lifecycle = excluded.lifecycle, updated_at = now()`,
        [state.jobId, JSON.stringify(state), streamVersion, lifecycleOf(state)],
      );
    }
    return { replayed, inputs, ownEvents, jobs: jobs.size };
  });
}

function decode(stored: StoredEvent): FjcEvent {
  const topic = isEventType(stored.type) ? (EVENT_CATALOG[stored.type].topic ?? undefined) : undefined;
  const decoded = decodeEvent(toEnvelope(stored), { topic });
  if (!decoded.ok) throw new Error(`FJC_REBUILD_UNREADABLE_EVENT: position ${stored.position} (${stored.streamId}@${stored.streamVersion}): ${decoded.code}: ${decoded.message}`);
  return decoded.event;
}

async function savedJob(tx: Queryable, jobId: string): Promise<Rebuilt> {
  const res = await tx.query<{ state: JobState; stream_version: number }>('select state, stream_version from reconciler_jobs where job_id = $1', [jobId]);
  const row = res.rows[0];
  return row ? { state: { ...initialJobState(jobId), ...row.state }, streamVersion: row.stream_version } : { state: initialJobState(jobId), streamVersion: 0 };
}

/** Run numbers of every tick in the log: a Deploy after the position may serve a tick before it. */
async function ticksInLog(tx: Queryable, archived: readonly StoredEvent[]): Promise<TickRuns> {
  const res = await tx.query<{ id: string; run: number }>(`select event_id::text as id, (payload->>'runNumber')::int as run from event_log where type = 'ScheduleTick'`);
  const archivedTicks = archived.filter((e) => e.type === 'ScheduleTick').map((e) => [e.eventId, (e.payload as { runNumber: number }).runNumber] as const);
  return new Map([...archivedTicks, ...res.rows.map((r) => [r.id, r.run] as const)]);
}
