// Rebuilding the scheduler's projection (scheduler_schedules) from the event log (recovery):
// each job's spec events, folded as the live consumer folds them, and the scheduler's own
// ScheduleTick events, folded as the tick loop moved on after appending them. From the start
// the table is cleared first; from a position the touched jobs continue from their saved rows.
// Runs in one transaction, so the tick loop sees the old schedules or the new ones, never half.
// Ticks the rebuilt schedules make due again carry the same event ids, so none runs twice.
import type { Pool } from 'pg';
import { decodeEvent } from '@fjc/contracts';
import { inTransaction, replayLog, toEnvelope, type LogCheckpoint, type ProgressReport, type StoredEvent } from '@fjc/event-log';
import { ScheduleStore } from '../persistence/schedule-store';
import type { Schedule } from '../schedule/schedule';
import { scheduleAfterEvent } from '../schedule/schedule-after-event';
import { scheduleAfterTick } from '../schedule/schedule-after-tick';

export interface ScheduleRebuildReport {
  readonly replayed: number;
  readonly specEvents: number;
  readonly ticks: number;
  readonly schedules: number;
}

const SPEC_EVENT_TYPES: ReadonlySet<string> = new Set(['SpecUpdated', 'JobSuspendRequested', 'JobResumeRequested', 'JobRolledBack', 'JobDeleteRequested']);

export async function rebuildSchedules(
  pool: Pool,
  options: { from?: LogCheckpoint; now?: Date; onProgress?: (p: ProgressReport) => void; archived?: readonly StoredEvent[] } = {},
): Promise<ScheduleRebuildReport> {
  const store = new ScheduleStore();
  return inTransaction(pool, async (tx) => {
    if (!options.from) await tx.query('delete from scheduler_schedules');
    const schedules = new Map<string, Schedule | null>();
    const current = async (jobId: string): Promise<Schedule | null> => {
      if (!schedules.has(jobId)) schedules.set(jobId, options.from ? await store.load(tx, jobId) : null);
      return schedules.get(jobId) ?? null;
    };
    let specEvents = 0;
    let ticks = 0;
    const { replayed } = await replayLog(
      tx,
      async (stored) => {
        if (stored.streamId === `spec-${stored.jobId}` && SPEC_EVENT_TYPES.has(stored.type)) {
          const event = decode(stored, 'specEvents');
          const change = scheduleAfterEvent(await current(stored.jobId), event, new Date(event.occurredAt));
          if (change.kind === 'Save') schedules.set(stored.jobId, change.schedule);
          specEvents++;
        } else if (stored.streamId === `scheduler-${stored.jobId}` && stored.type === 'ScheduleTick') {
          const event = decode(stored, 'scheduleTicks');
          if (event.type !== 'ScheduleTick') return;
          schedules.set(stored.jobId, scheduleAfterTick(await current(stored.jobId), event.payload));
          ticks++;
        }
      },
      { from: options.from, onProgress: options.onProgress, archived: options.archived },
    );
    let saved = 0;
    for (const schedule of schedules.values()) {
      if (schedule === null) continue;
      await store.save(tx, schedule, options.now ?? new Date());
      saved++;
    }
    return { replayed, specEvents, ticks, schedules: saved };
  });
}

function decode(stored: StoredEvent, topic: 'specEvents' | 'scheduleTicks') {
  const decoded = decodeEvent(toEnvelope(stored), { topic });
  if (!decoded.ok) throw new Error(`FJC_REBUILD_UNREADABLE_EVENT: position ${stored.position} (${stored.streamId}@${stored.streamVersion}): ${decoded.code}: ${decoded.message}`);
  return decoded.event;
}

