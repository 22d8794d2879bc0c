// Kafka adapter for fjc.spec.events: the transport has already decoded the envelope; this
// only hands the event and the message's transaction to the use case.
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { topicRegistry, type FjcEvent } from '@fjc/contracts';
import { KafkaMessageContext } from '@fjc/messaging';
import { ApplySpecEvent } from './apply-spec-event';

// Handlers bind to the prefixed topic name, known once the environment is.
const TOPICS = topicRegistry(process.env.FJC_TOPIC_PREFIX);

@Controller()
export class SpecEventsController {
  constructor(private readonly applySpecEvent: ApplySpecEvent) {}

  @EventPattern(TOPICS.specEvents.name)
  async onSpecEvent(@Payload() event: FjcEvent, @Ctx() ctx: KafkaMessageContext): Promise<void> {
    await this.applySpecEvent.execute(ctx.tx, event);
  }
}
