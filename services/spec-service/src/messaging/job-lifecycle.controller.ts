// Kafka adapter for fjc.job.lifecycle: each decoded event goes to the status read model in the
// message's transaction, and the outcome of a pipeline stage's run to its pipeline run.
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { topicRegistry, type FjcEvent } from '@fjc/contracts';
import type { KafkaMessageContext } from '@fjc/messaging';
import { PipelineRuns } from '../pipelines/pipeline-runs';
import { RecordLifecycle } from '../use-cases/record-lifecycle/record-lifecycle';

const TOPICS = topicRegistry(process.env.FJC_TOPIC_PREFIX);

@Controller()
export class JobLifecycleController {
  constructor(
    private readonly recordLifecycle: RecordLifecycle,
    private readonly pipelineRuns: PipelineRuns,
  ) {}

  @EventPattern(TOPICS.jobLifecycle.name)
  async onLifecycle(@Payload() event: FjcEvent, @Ctx() ctx: KafkaMessageContext): Promise<void> {
    await this.recordLifecycle.execute(ctx.tx, event);
    // A stage job's run ended: its pipeline run goes on, in the same transaction.
    await this.pipelineRuns.onLifecycle(ctx.tx, event);
  }
}
