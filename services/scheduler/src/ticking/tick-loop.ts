// Runs the tick pass on a PollingLoop from bootstrap until shutdown. Passes never overlap; a pass
// that left work behind is followed at once; a failing pass is logged and retried after a
// back-off (its transaction rolled back, so nothing half-done remains). The loop stops in
// beforeApplicationShutdown, so a pass in flight commits or rolls back before the pool closes.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { loopLoggerOf, PollingLoop } from '@fjc/service-runtime';
import { SCHEDULER_CONFIG, type SchedulerConfig } from '../scheduler-config';
import { EmitDueTicks } from './emit-due-ticks';

@Injectable()
export class TickLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: PollingLoop;

  constructor(
    emitDueTicks: EmitDueTicks,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
    private readonly logger: Logger,
  ) {
    this.loop = new PollingLoop({
      name: 'tick-loop',
      intervalMs: config.intervalMs,
      pass: () => emitDueTicks.execute(),
      errorCode: 'FJC_SCHEDULER_PASS_FAILED',
      logger: loopLoggerOf(logger, 'scheduler'),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
    this.logger.log({ msg: 'tick loop started', event: 'scheduler.loop_started', intervalMs: this.config.intervalMs }, 'scheduler');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
