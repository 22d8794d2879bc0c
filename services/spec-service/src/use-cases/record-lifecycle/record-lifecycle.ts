// Use case: keep the status read model current from fjc.job.lifecycle. Only LifecycleChanged
// is read; an event older than what the row already shows is ignored.
import { Injectable } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { FjcEvent } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import { SpecMetrics } from '../../observability/spec-metrics';
import { recordLifecycle } from '../../read-model/job-status-table';

@Injectable()
export class RecordLifecycle {
  constructor(
    private readonly metrics: SpecMetrics,
    private readonly logger: Logger,
  ) {}

  async execute(tx: Queryable, event: FjcEvent): Promise<void> {
    if (event.type !== 'LifecycleChanged') return;
    const outcome = await recordLifecycle(tx, event);
    this.metrics.lifecycleEvent(outcome);
    // A LifecycleChanged that keeps the state (a restart count, a candidate flag) is not a
    // transition: it is logged at debug, never as `X -> X`.
    const changed = event.payload.from !== event.payload.to;
    const fields = {
      jobId: event.jobId,
      state: event.payload.to,
      lifecycleVersion: event.streamVersion,
      outcome,
      correlationId: event.correlationId,
    };
    if (changed) this.logger.log({ msg: `${event.jobId}: ${event.payload.from ?? '-'} -> ${event.payload.to} (${outcome})`, event: 'status.lifecycle', ...fields }, 'status');
    else this.logger.debug({ msg: `${event.jobId}: still ${event.payload.to}, status details updated (${outcome})`, event: 'status.updated', ...fields }, 'status');
  }
}
