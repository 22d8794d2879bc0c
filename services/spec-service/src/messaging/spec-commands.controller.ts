// Kafka adapter for fjc.spec.commands: hands each message and its transaction to the use case.
// (A message without a commandId never gets here: the transport dead-letters it.)
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { topicRegistry } from '@fjc/contracts';
import type { KafkaMessageContext } from '@fjc/messaging';
import { HandleSpecCommand } from '../use-cases/handle-spec-command/handle-spec-command';

// Handlers are bound to the prefixed names when the module loads.
const TOPICS = topicRegistry(process.env.FJC_TOPIC_PREFIX);

@Controller()
export class SpecCommandsController {
  constructor(private readonly handleSpecCommand: HandleSpecCommand) {}

  @EventPattern(TOPICS.specCommands.name)
  async onCommand(@Payload() message: unknown, @Ctx() ctx: KafkaMessageContext): Promise<void> {
    await this.handleSpecCommand.execute(ctx.tx, message, { key: ctx.info.key, traceparent: ctx.info.headers.traceparent, headers: ctx.info.headers });
  }
}
