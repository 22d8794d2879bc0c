// The periodic resync: every job is reconciled again on a timer, so time-based decisions
// (retry back-off, batch ttl, re-sending an action without result) happen without any event.
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { Logger } from 'nestjs-pino';
import { DB_POOL } from '@fjc/service-runtime';
import { inTransaction } from '@fjc/event-log';
import { jobsToResync } from './job-store';
import { ReconcileJob } from './reconcile-job';

@Injectable()
export class Resync implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly intervalMs = Number(process.env.FJC_RESYNC_INTERVAL_MS ?? 10_000);

  constructor(
    @Inject(DB_POOL) private readonly pool: Pool,
    private readonly reconcile: ReconcileJob,
    private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.once().finally(() => (this.running = null));
    }, this.intervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async once(): Promise<void> {
    try {
      for (const jobId of await jobsToResync(this.pool)) {
        await inTransaction(this.pool, (tx) => this.reconcile.run(tx, jobId, null));
      }
    } catch (err) {
      this.logger.warn({ event: 'resync.failed', code: 'FJC_RESYNC_FAILED', err: String(err) }, 'reconciler');
    }
  }
}
