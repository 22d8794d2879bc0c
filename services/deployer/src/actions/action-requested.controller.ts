// Kafka adapter of fjc.deploy.actions: hands each ActionRequested to the use case, inside the
// message's transaction. Nothing else belongs on the topic; anything else is ignored.
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { topicRegistry, type FjcEvent } from '@fjc/contracts';
import type { KafkaMessageContext } from '@fjc/messaging';
import { RecordActionRequest } from './record-action-request';

// Patterns are fixed at class definition, so the prefixed names are computed at module load.
const TOPICS = topicRegistry(process.env.FJC_TOPIC_PREFIX);

@Controller()
export class ActionRequestedController {
  constructor(private readonly recordRequest: RecordActionRequest) {}

  @EventPattern(TOPICS.deployActions.name)
  async onDeployAction(@Payload() event: FjcEvent, @Ctx() ctx: KafkaMessageContext): Promise<void> {
    if (event.type !== 'ActionRequested') return;
    await this.recordRequest.execute(ctx.tx, event, ctx.info.headers.traceparent, (fn) => ctx.afterCommit(fn));
  }
}
