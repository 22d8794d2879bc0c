// The use case behind the fjc.deploy.actions handler: queue the requested action in the message's
// transaction (a re-sent request is a no-op) and wake the executor once it has committed. Carrying it out happens
// outside the message's transaction: a long-open transaction would hold back every log reader
// (the relay publishes only below the oldest running transaction) for as long as Flink takes.
import { Inject, Injectable } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { EventOf } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import { CLOCK, type Clock } from '@fjc/service-runtime';
import { ActionExecutor } from './action-executor';
import { insertAction } from './action-store';

@Injectable()
export class RecordActionRequest {
  constructor(
    private readonly executor: ActionExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** `afterCommit`, when given, runs a function once `tx` has committed: the executor is woken
   *  then, at once, instead of after a guessed delay. */
  async execute(tx: Queryable, event: EventOf<'ActionRequested'>, traceparent?: string, afterCommit?: (fn: () => void) => void): Promise<void> {
    const queued = await insertAction(tx, {
      jobId: event.jobId,
      request: event.payload,
      cause: { actor: event.actor, correlationId: event.correlationId, causationId: event.id, ...(traceparent ? { traceparent } : {}) },
      requestedAt: this.clock.now(),
    });
    const { actionId, action, cluster } = event.payload;
    this.logger.log(
      { event: queued ? 'action.queued' : 'action.duplicate', actionId, jobId: event.jobId, kind: action.kind, cluster, ...('flinkJobId' in action ? { flinkJobId: action.flinkJobId } : action.kind === 'CleanUp' ? { flinkJobIds: action.flinkJobIds } : { path: action.path }), msg: queued ? 'action queued' : 'action already known; nothing to do' },
      'deployer',
    );
    if (!queued) return;
    if (afterCommit) afterCommit(() => this.executor.wakeNow());
    else this.executor.wake();
  }
}
