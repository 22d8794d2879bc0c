// Use case: keep a job's schedule in step with its spec stream. Runs in the message's
// transaction (inbox row already in it), so the schedule changes exactly once per event.
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@fjc/service-runtime';
import type { FjcEvent } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import { Logger } from 'nestjs-pino';
import { ScheduleStore } from '../persistence/schedule-store';
import { scheduleAfterEvent, type ScheduleChange } from '../schedule/schedule-after-event';

@Injectable()
export class ApplySpecEvent {
  constructor(
    private readonly store: ScheduleStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async execute(tx: Queryable, event: FjcEvent): Promise<ScheduleChange> {
    // 1. Load (and lock) the job's schedule.
    const current = await this.store.load(tx, event.jobId);
    // 2. Decide what the event means for it.
    // The next time is counted from when the version was accepted (the event's time), not from
    // when it is read here: the schedule is then a function of the log alone, so a rebuild from
    // the log gives the same one, and a scheduler that was down catches up like one that was not.
    const now = this.clock.now();
    const change = scheduleAfterEvent(current, event, new Date(event.occurredAt));
    // 3. Save.
    if (change.kind === 'Save') {
      await this.store.save(tx, change.schedule, now);
      const { state, specVersion, nextFireAt, runsSoFar } = change.schedule;
      this.logger.log(
        { msg: 'schedule updated', event: 'schedule.updated', jobId: event.jobId, cause: event.type, causeId: event.id, state, specVersion, runsSoFar, nextFireAt },
        'scheduler',
      );
    }
    return change;
  }
}
