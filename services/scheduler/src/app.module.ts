// Root module of the scheduler: keeps one schedule per cron batch job from fjc.spec.events and
// emits exactly-once ScheduleTick events on scheduler-<jobId> (published on fjc.schedule.ticks).
import { Module } from '@nestjs/common';
import { ObservabilityModule, PlatformModule } from '@fjc/service-runtime';
import { SchedulerMetrics } from './metrics/scheduler-metrics';
import { SCHEDULER_SCHEMA } from './persistence/migrations/schema';
import { ScheduleStore } from './persistence/schedule-store';
import { ApplySpecEvent } from './projection/apply-spec-event';
import { SpecEventsController } from './projection/spec-events.controller';
import { SCHEDULER_CONFIG, schedulerConfigFromEnv } from './scheduler-config';
import { EmitDueTicks, NEW_CORRELATION_ID, newCorrelationId } from './ticking/emit-due-ticks';
import { TickLoop } from './ticking/tick-loop';

export const SERVICE_NAME = 'scheduler';

@Module({
  imports: [
    ObservabilityModule.forService(SERVICE_NAME),
    PlatformModule.forService({ serviceName: SERVICE_NAME, migrations: SCHEDULER_SCHEMA.migrations }),
  ],
  controllers: [SpecEventsController],
  providers: [
    { provide: SCHEDULER_CONFIG, useFactory: () => schedulerConfigFromEnv() },
    { provide: NEW_CORRELATION_ID, useValue: newCorrelationId },
    ScheduleStore,
    SchedulerMetrics,
    ApplySpecEvent,
    EmitDueTicks,
    TickLoop,
  ],
})
export class SchedulerModule {}
