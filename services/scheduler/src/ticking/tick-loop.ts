// Runs the tick pass on a timer from bootstrap until shutdown. Passes never overlap; a pass
// that left work behind is followed at once; a failing pass is logged and retried on the
// next interval (its transaction rolled back, so nothing half-done remains).
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { SCHEDULER_CONFIG, type SchedulerConfig } from '../scheduler-config';
import { EmitDueTicks } from './emit-due-ticks';

@Injectable()
export class TickLoop implements OnApplicationBootstrap, OnModuleDestroy {
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;

  constructor(
    private readonly emitDueTicks: EmitDueTicks,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
    private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.schedule(0);
    this.logger.log({ msg: 'tick loop started', event: 'scheduler.loop_started', intervalMs: this.config.intervalMs }, 'scheduler');
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // Let a pass in flight commit or roll back before the pool closes.
    await this.current;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.current = this.pass().finally(() => (this.current = null));
    }, delayMs);
  }

  private async pass(): Promise<void> {
    let more = false;
    try {
      more = (await this.emitDueTicks.execute()).more;
    } catch (err) {
      this.logger.error({ msg: 'tick pass failed', event: 'scheduler.pass_failed', code: 'FJC_SCHEDULER_PASS_FAILED', err: String(err) }, 'scheduler');
    }
    this.schedule(more ? 0 : this.config.intervalMs);
  }
}
