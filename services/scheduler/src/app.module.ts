// Root module of the scheduler: emits exactly-once cron ticks for batch jobs.
import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@fjc/service-runtime';

export const SERVICE_NAME = 'scheduler';

@Module({
  imports: [ObservabilityModule.forService(SERVICE_NAME)],
})
export class SchedulerModule {}
