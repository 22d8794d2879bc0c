// Transport adapter: every event the reconciler consumes means "make job X match". Thin: maps
// the message to the use case inside the message's transaction.
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { topicRegistry, type FjcEvent } from '@fjc/contracts';
import type { KafkaMessageContext } from '@fjc/messaging';
import { isReconcilerInput } from '../domain/inputs';
import { ReconcileJob } from './reconcile-job';

const TOPICS = topicRegistry(process.env.FJC_TOPIC_PREFIX);

@Controller()
export class InputsController {
  constructor(private readonly reconcile: ReconcileJob) {}

  @EventPattern(TOPICS.specEvents.name)
  onSpecEvent(@Payload() event: FjcEvent, @Ctx() ctx: KafkaMessageContext): Promise<void> {
    return this.handle(event, ctx);
  }

  @EventPattern(TOPICS.scheduleTicks.name)
  onTick(@Payload() event: FjcEvent, @Ctx() ctx: KafkaMessageContext): Promise<void> {
    return this.handle(event, ctx);
  }

  @EventPattern(TOPICS.deployResults.name)
  onResult(@Payload() event: FjcEvent, @Ctx() ctx: KafkaMessageContext): Promise<void> {
    return this.handle(event, ctx);
  }

  @EventPattern(TOPICS.jobObservations.name)
  onObservation(@Payload() event: FjcEvent, @Ctx() ctx: KafkaMessageContext): Promise<void> {
    return this.handle(event, ctx);
  }

  private async handle(event: FjcEvent, ctx: KafkaMessageContext): Promise<void> {
    // ActionStarted and other events on these topics carry nothing the decision needs.
    if (isReconcilerInput(event)) await this.reconcile.run(ctx.tx, event.jobId, event);
  }
}
