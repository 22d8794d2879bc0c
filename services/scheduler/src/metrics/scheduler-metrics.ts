// The scheduler's Prometheus metrics, on the service's registry: ticks emitted, times skipped
// past their starting deadline, and schedules active (counted in PostgreSQL at scrape time, so
// every instance reports the same truth).
import { Inject, Injectable } from '@nestjs/common';
import { DB_POOL } from '@fjc/service-runtime';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { ScheduleStore } from '../persistence/schedule-store';
import { METRICS_REGISTRY } from '@fjc/service-runtime';

@Injectable()
export class SchedulerMetrics {
  readonly ticksEmitted: Counter;
  readonly ticksSkipped: Counter<'reason'>;
  readonly ticksDuplicate: Counter;
  /** From a tick's scheduled time to its append (a late scheduler shows here first). */
  readonly tickLateness: Histogram;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, @Inject(DB_POOL) pool: Pool, store: ScheduleStore) {
    this.ticksEmitted = new Counter({
      name: 'fjc_scheduler_ticks_emitted_total',
      help: 'ScheduleTick events appended by this instance.',
      registers: [registry],
    });
    this.ticksSkipped = new Counter({
      name: 'fjc_scheduler_ticks_skipped_total',
      help: 'Scheduled times passed over without a tick, by reason.',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.ticksDuplicate = new Counter({
      name: 'fjc_scheduler_ticks_duplicate_total',
      help: 'Ticks this instance found already in the log (written before, e.g. by another instance).',
      registers: [registry],
    });
    this.tickLateness = new Histogram({
      name: 'fjc_scheduler_tick_lateness_seconds',
      help: 'Time from a tick\'s scheduled time to its ScheduleTick being written',
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    new Gauge({
      name: 'fjc_scheduler_schedules_active',
      help: 'Schedules in state active (all instances).',
      registers: [registry],
      async collect() {
        this.set(await store.countActive(pool));
      },
    });
  }
}
