// Use case: one pass of the tick loop, in one transaction. Claim due schedules (rows other
// instances hold are skipped), decide each due time, append its ScheduleTick to
// scheduler-<jobId> under the tick's deterministic event id, and save the schedule with the
// append. A tick already in the log comes back as a duplicate and is not counted again, so
// neither a second instance nor a retried transaction can double a run.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PG, currentVersion, inTransaction, pgCode, type Queryable } from '@fjc/event-log';
import { CLOCK, DB_POOL, EventWriter, type Clock } from '@fjc/service-runtime';
import { Logger } from 'nestjs-pino';
import type { Pool } from 'pg';
import { ScheduleStore } from '../persistence/schedule-store';
import { decideDueTick, MAX_SUPERSEDED_PER_DECISION, type ScheduleTickPayload, type SkipReason } from '../schedule/decide-due-tick';
import type { Schedule } from '../schedule/schedule';
import { tickEventId } from '../schedule/tick-event-id';
import { SchedulerMetrics } from '../metrics/scheduler-metrics';

/** Makes the correlation id of each tick: a tick starts a new chain of work. */
export const NEW_CORRELATION_ID = Symbol('NEW_CORRELATION_ID');
export const newCorrelationId = (): string => randomUUID();

/** Schedules claimed per transaction, and due times handled per schedule in it. */
export const CLAIM_LIMIT = 20;
export const TIMES_PER_SCHEDULE = 50;

/** What one pass did, reported (logged, counted) only once its transaction committed. */
interface PassOutcome {
  claimed: number;
  emitted: Array<{ jobId: string; tick: ScheduleTickPayload; eventId: string }>;
  skipped: Array<{ jobId: string; reason: SkipReason; count: number; scheduledTime: string; lastSkipped: string; lateMs: number; startingDeadlineSeconds: number | null }>;
  duplicates: number;
  failed: Array<{ jobId: string; err: string }>;
  /** Work was left for another pass right away (a full claim, or a schedule far behind). */
  more: boolean;
}

export interface TickPassResult {
  readonly claimed: number;
  readonly emitted: number;
  readonly skipped: number;
  readonly duplicates: number;
  readonly more: boolean;
  /** Milliseconds until the earliest schedule is due, when that is the next thing to do: the
   *  loop wakes then instead of after its whole interval, so a tick is not up to an interval late. */
  readonly soonMs?: number;
}

@Injectable()
export class EmitDueTicks {
  constructor(
    @Inject(DB_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(NEW_CORRELATION_ID) private readonly newId: () => string,
    private readonly store: ScheduleStore,
    private readonly writer: EventWriter,
    private readonly metrics: SchedulerMetrics,
    private readonly logger: Logger,
  ) {}

  async execute(): Promise<TickPassResult> {
    const outcome = await inTransaction(this.pool, async (tx) => {
      const now = this.clock.now();
      const due = await this.store.claimDue(tx, now, CLAIM_LIMIT);
      const o: PassOutcome = { claimed: due.length, emitted: [], skipped: [], duplicates: 0, failed: [], more: due.length === CLAIM_LIMIT };
      for (const schedule of due) await this.isolated(tx, schedule, now, o);
      return o;
    });
    this.report(outcome);
    const result = { claimed: outcome.claimed, emitted: outcome.emitted.length, skipped: outcome.skipped.length, duplicates: outcome.duplicates, more: outcome.more };
    if (outcome.more) return result;
    // Read after the commit, so a time this pass moved on is seen as moved. A schedule saved
    // meanwhile with an earlier time waits at most the loop's interval, as before.
    const next = await this.store.nextDue(this.pool);
    return next === null ? result : { ...result, soonMs: Math.max(0, next.getTime() - this.clock.now().getTime()) + 1 };
  }

  /** One schedule under a savepoint: a schedule that fails does not hold back the others. */
  private async isolated(tx: Queryable, schedule: Schedule, now: Date, o: PassOutcome): Promise<void> {
    const mark = { emitted: o.emitted.length, skipped: o.skipped.length, duplicates: o.duplicates };
    await tx.query('savepoint fjc_schedule');
    try {
      await this.tickSchedule(tx, schedule, now, o);
      await tx.query('release savepoint fjc_schedule');
    } catch (err) {
      const code = pgCode(err);
      // Lost a race with another transaction: retrying the whole pass is the answer.
      if (code === PG.serializationFailure || code === PG.deadlockDetected) throw err;
      await tx.query('rollback to savepoint fjc_schedule');
      o.emitted.length = mark.emitted;
      o.skipped.length = mark.skipped;
      o.duplicates = mark.duplicates;
      o.failed.push({ jobId: schedule.jobId, err: String(err) });
    }
  }

  private async tickSchedule(tx: Queryable, start: Schedule, now: Date, o: PassOutcome): Promise<void> {
    const streamId = `scheduler-${start.jobId}`;
    let schedule = start;
    for (let i = 0; ; i++) {
      const decision = decideDueTick(schedule, now);
      if (decision.kind === 'NotDue') break;
      if (i === TIMES_PER_SCHEDULE) {
        o.more = true;
        break;
      }
      if (decision.kind === 'Skip') {
        o.skipped.push({
          jobId: schedule.jobId,
          reason: decision.reason,
          count: decision.count,
          scheduledTime: decision.scheduledTime.toISOString(),
          lastSkipped: decision.lastSkipped.toISOString(),
          lateMs: decision.lateMs,
          startingDeadlineSeconds: schedule.startingDeadlineSeconds,
        });
        schedule = decision.after;
        if (decision.count >= MAX_SUPERSEDED_PER_DECISION) {
          // Far behind: enough work for this pass; the next pass goes on from here.
          o.more = true;
          break;
        }
        continue;
      }
      const eventId = tickEventId(schedule.jobId, decision.tick.scheduledTime);
      const appended = await this.writer.append(
        tx,
        streamId,
        await currentVersion(tx, streamId),
        schedule.jobId,
        [{ type: 'ScheduleTick', payload: decision.tick, eventId }],
        { actor: this.writer.serviceActor, correlationId: this.newId(), causationId: schedule.sourceEventId },
      );
      if (appended.status === 'conflict') {
        // Someone else wrote to the stream meanwhile: keep what is done, try again next pass.
        o.failed.push({ jobId: schedule.jobId, err: `${appended.code}: expected ${String(appended.expectedVersion)}, found ${appended.actualVersion}` });
        break;
      }
      if (appended.status === 'duplicate') {
        o.duplicates++;
        schedule = decision.ifDuplicate;
        continue;
      }
      o.emitted.push({ jobId: schedule.jobId, tick: decision.tick, eventId });
      schedule = decision.after;
    }
    if (schedule !== start) await this.store.save(tx, schedule, now);
  }

  private report(o: PassOutcome): void {
    this.metrics.ticksEmitted.inc(o.emitted.length);
    for (const reason of ['superseded', 'starting_deadline'] as const) {
      this.metrics.ticksSkipped.inc({ reason }, o.skipped.filter((s) => s.reason === reason).reduce((n, s) => n + s.count, 0));
    }
    this.metrics.ticksDuplicate.inc(o.duplicates);
    const reportedAt = Date.now();
    for (const e of o.emitted) this.metrics.tickLateness.observe(Math.max(0, (reportedAt - Date.parse(e.tick.scheduledTime)) / 1000));
    for (const e of o.emitted) {
      this.logger.log({ msg: 'tick emitted', event: 'schedule.tick', jobId: e.jobId, eventId: e.eventId, ...e.tick }, 'scheduler');
    }
    for (const s of o.skipped) {
      const superseded = s.reason === 'superseded';
      this.logger.warn(
        {
          msg: superseded ? `${s.count} missed scheduled time(s) skipped: a later one supersedes them` : 'scheduled time skipped: later than starting_deadline_seconds',
          event: 'schedule.tick_skipped',
          code: superseded ? 'FJC_SCHEDULE_MISSED_TIMES_SUPERSEDED' : 'FJC_SCHEDULE_DEADLINE_MISSED',
          ...s,
        },
        'scheduler',
      );
    }
    for (const f of o.failed) {
      this.logger.error({ msg: 'schedule not ticked; retrying next pass', event: 'schedule.tick_failed', code: 'FJC_SCHEDULE_TICK_FAILED', ...f }, 'scheduler');
    }
  }
}
