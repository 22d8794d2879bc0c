// Rebuilding the deployer's action queue (deployer_actions) and the Flink jobs it observes
// (deployer_jobs) from the event log (recovery), with the same store functions the live
// deployer uses, in log order:
// - ActionRequested (reconciler-<jobId>) queues the action, as the fjc.deploy.actions handler does;
// - ActionStarted marks it started at that attempt and tracks the jobs it acts on;
// - JobObserved from an action (caused by its ActionRequested) tracks the job, records the
//   savepoint and the state, and notes a savepoint location on the action; JobObserved from the
//   poller (no cause) records the state, the back pressure and the retained checkpoint it remembered;
// - ActionSucceeded / ActionFailed finish the action; a successful Deploy or Upgrade tracks its
//   job; a successful CleanUp prunes the records of its runs, as the live deployer did then.
// An action started and never finished comes back as started: the executor resumes it by asking
// Flink what already happened (intent before effect), as after a crash. What the log cannot give
// back: the jar ids Flink assigned (deployer_jars is a cache the rebuild leaves as it is; a
// missing entry means one more upload), so a run rebuilt this way keeps its jar when it ends even
// under cleanup_on_completion. Run it with the deployer stopped; one transaction.
import type { Pool } from 'pg';
import { decodeEvent, EVENT_CATALOG, isEventType, type EventOf, type FjcEvent } from '@fjc/contracts';
import { inTransaction, replayLog, toEnvelope, type LogCheckpoint, type ProgressReport, type Queryable, type StoredEvent } from '@fjc/event-log';
import { finishAction, insertAction, loadAction, recordActionSavepoint } from '../actions/action-store';
import { jobsActedOn } from '../actions/carry-out/carry-out';
import { isTerminal } from '../flink/flink-port';
import { backpressureToRemember, stopsObservation } from '../observation/job-observation';
import { pruneRuns, recordObservation, recordReportedException, trackJob } from '../observation/observed-jobs';

export interface DeployerRebuildReport {
  readonly replayed: number;
  readonly actions: number;
  readonly results: number;
  readonly observations: number;
}

const DEPLOYER_EVENTS: ReadonlySet<string> = new Set(['ActionStarted', 'ActionSucceeded', 'ActionFailed', 'JobObserved', 'JobExceptionObserved']);

export async function rebuildDeployerTables(
  pool: Pool,
  options: { from?: LogCheckpoint; now?: Date; onProgress?: (p: ProgressReport) => void; archived?: readonly StoredEvent[] } = {},
): Promise<DeployerRebuildReport> {
  return inTransaction(pool, async (tx) => {
    if (!options.from) await tx.query('delete from deployer_actions; delete from deployer_jobs; delete from deployer_job_exceptions');
    const now = options.now ?? new Date();
    // ActionRequested event id -> action id: what an action's own events are caused by.
    const actionOfRequest = new Map<string, string>();
    const actionCausedBy = async (causationId: string | null): Promise<string | null> => {
      if (causationId === null) return null;
      const known = actionOfRequest.get(causationId);
      if (known !== undefined || !options.from) return known ?? null;
      const res = await tx.query<{ action_id: string }>(`select action_id from deployer_actions where cause->>'causationId' = $1`, [causationId]);
      return res.rows[0]?.action_id ?? null;
    };
    let actions = 0;
    let results = 0;
    let observations = 0;
    const { replayed } = await replayLog(
      tx,
      async (stored) => {
        if (stored.streamId === `reconciler-${stored.jobId}` && stored.type === 'ActionRequested') {
          const event = decode(stored);
          if (event.type !== 'ActionRequested') return;
          const cause = { actor: event.actor, correlationId: event.correlationId, causationId: event.id, ...(stored.metadata.traceparent ? { traceparent: stored.metadata.traceparent } : {}) };
          await insertAction(tx, { jobId: event.jobId, request: event.payload, cause, requestedAt: stored.recordedAt });
          actionOfRequest.set(event.id, event.payload.actionId);
          actions++;
        } else if (stored.streamId === `deployer-${stored.jobId}` && DEPLOYER_EVENTS.has(stored.type)) {
          const event = decode(stored);
          if (event.type === 'ActionStarted') await started(tx, event, now);
          else if (event.type === 'ActionSucceeded' || event.type === 'ActionFailed') {
            await finished(tx, event, now);
            results++;
          } else if (event.type === 'JobObserved') {
            await observed(tx, event, await actionCausedBy(event.causationId), now);
            observations++;
          } else if (event.type === 'JobExceptionObserved') {
            // Reported once: the rebuilt deployer must not report it again.
            await recordReportedException(tx, event.payload.flinkJobId, event.payload.exceptionId, new Date(event.occurredAt));
          }
        }
      },
      { from: options.from, onProgress: options.onProgress, archived: options.archived },
    );
    return { replayed, actions, results, observations };
  });
}

async function started(tx: Queryable, event: EventOf<'ActionStarted'>, now: Date): Promise<void> {
  const { actionId, attempt } = event.payload;
  await tx.query(`update deployer_actions set status = 'started', attempt = $2, started_at = $3 where action_id = $1 and status in ('requested', 'started')`, [
    actionId,
    attempt,
    new Date(event.occurredAt),
  ]);
  const action = await loadAction(tx, actionId);
  if (action === null) return;
  for (const flinkJobId of jobsActedOn(action.action)) await trackJob(tx, { flinkJobId, jobId: action.jobId, cluster: action.cluster }, now);
}

async function finished(tx: Queryable, event: EventOf<'ActionSucceeded' | 'ActionFailed'>, now: Date): Promise<void> {
  const action = await loadAction(tx, event.payload.actionId);
  if (action === null) return;
  await finishAction(tx, action.actionId, event.type === 'ActionSucceeded' ? 'succeeded' : 'failed', event.payload, new Date(event.occurredAt));
  if (event.type === 'ActionSucceeded' && (action.kind === 'Deploy' || action.kind === 'Upgrade')) {
    if (event.payload.kind !== 'DisposeSavepoint' && event.payload.kind !== 'CleanUp') await trackJob(tx, { flinkJobId: event.payload.flinkJobId, jobId: action.jobId, cluster: action.cluster }, now);
  }
  // A CleanUp's success pruned its runs' records in the live deployer's transaction: the same here.
  if (event.type === 'ActionSucceeded' && action.action.kind === 'CleanUp') await pruneRuns(tx, action.jobId, action.action.flinkJobIds, action.actionId);
}

async function observed(tx: Queryable, event: EventOf<'JobObserved'>, actionId: string | null, now: Date): Promise<void> {
  const p = event.payload;
  const at = new Date(event.occurredAt);
  if (actionId !== null) {
    // Reported by an action as its savepoint settled (the executor's recordSavepoint).
    const action = await loadAction(tx, actionId);
    if (action === null) return;
    if (p.savepoint?.location) await recordActionSavepoint(tx, actionId, p.savepoint.location);
    await trackJob(tx, { flinkJobId: p.flinkJobId, jobId: action.jobId, cluster: action.cluster }, now);
    await recordObservation(tx, p.flinkJobId, { state: p.flinkState, terminal: isTerminal(p.flinkState), ...(p.savepoint ? { savepoint: p.savepoint } : {}) }, at);
    return;
  }
  // Reported by the poller, which only looks at jobs it tracks.
  const last = await tx.query<{ last_state: string | null; last_backpressure: 'ok' | 'low' | 'high' | null }>(
    'select last_state, last_backpressure from deployer_jobs where flink_job_id = $1',
    [p.flinkJobId],
  );
  const row = last.rows[0];
  if (row === undefined) return;
  const backpressure = backpressureToRemember({ state: null, backpressure: row.last_backpressure }, p);
  await recordObservation(
    tx,
    p.flinkJobId,
    {
      state: p.flinkState,
      terminal: stopsObservation(p.flinkState),
      backpressure,
      ...(p.lastCheckpoint ? { checkpointId: p.lastCheckpoint.id } : {}),
      ...(p.restarts !== undefined ? { restarts: p.restarts } : {}),
      ...(p.checkpoints ? { checkpointsCompleted: p.checkpoints.completed } : {}),
      ...(p.recordsOutPerSecond !== undefined ? { emitting: p.recordsOutPerSecond > 0 } : {}),
    },
    at,
  );
}

function decode(stored: StoredEvent): FjcEvent {
  const topic = isEventType(stored.type) ? (EVENT_CATALOG[stored.type].topic ?? undefined) : undefined;
  const decoded = decodeEvent(toEnvelope(stored), { topic });
  if (!decoded.ok) throw new Error(`FJC_REBUILD_UNREADABLE_EVENT: position ${stored.position} (${stored.streamId}@${stored.streamVersion}): ${decoded.code}: ${decoded.message}`);
  return decoded.event;
}
