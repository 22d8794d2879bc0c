// The periodic resync: every job is reconciled again on a timer, so time-based decisions
// (retry back-off, batch ttl, re-sending an action without result) happen without any event.
// It runs on a PollingLoop stopped in beforeApplicationShutdown, so a pass in flight finishes
// before the pool closes (onApplicationShutdown); a failing pass is retried after a back-off.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { Logger } from 'nestjs-pino';
import { DB_POOL, loopLoggerOf, PollingLoop } from '@fjc/service-runtime';
import { inTransaction } from '@fjc/event-log';
import { jobsDue, resyncPage } from './job-store';
import { ReconcilerMetrics } from '../metrics/reconciler-metrics';
import { ReconcileJob } from './reconcile-job';

@Injectable()
export class Resync implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly intervalMs = Number(process.env.FJC_RESYNC_INTERVAL_MS ?? 10_000);
  private readonly loop: PollingLoop;
  /** Looks at jobs whose next decision is due (next_look_at), between resyncs. */
  private readonly due: PollingLoop;
  private readonly dueIntervalMs = Number(process.env.FJC_DUE_INTERVAL_MS ?? 1_000);

  constructor(
    @Inject(DB_POOL) private readonly pool: Pool,
    private readonly reconcile: ReconcileJob,
    private readonly metrics: ReconcilerMetrics,
    logger: Logger,
  ) {
    this.loop = new PollingLoop({
      name: 'resync',
      intervalMs: this.intervalMs,
      initialDelayMs: this.intervalMs,
      pass: (signal) => this.once(signal),
      errorCode: 'FJC_RESYNC_FAILED',
      logger: loopLoggerOf(logger, 'reconciler'),
    });
    this.due = new PollingLoop({
      name: 'due',
      intervalMs: this.dueIntervalMs,
      initialDelayMs: this.dueIntervalMs,
      pass: (signal) => this.dueOnce(signal),
      errorCode: 'FJC_RESYNC_FAILED',
      logger: loopLoggerOf(logger, 'reconciler'),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
    this.due.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.loop.stop(), this.due.stop()]);
  }

  /** Reconciles the jobs that are due, each in its own transaction. */
  async dueOnce(signal?: AbortSignal): Promise<void> {
    for (const jobId of await jobsDue(this.pool, 500)) {
      if (signal?.aborted) return;
      await inTransaction(this.pool, (tx) => this.reconcile.run(tx, jobId, null));
    }
  }

  /** Reconciles every job once, stopping early when shutting down. Jobs are read a page at a
   *  time without locks; a job the resync would change nothing for is skipped, every other one
   *  is reconciled in its own transaction (run, on the locked row). A completed pass sets the
   *  resync metrics (duration, jobs looked at, when). */
  async once(signal?: AbortSignal): Promise<void> {
    const started = performance.now();
    let looked = 0;
    let after = '';
    for (;;) {
      const page = await resyncPage(this.pool, after, RESYNC_PAGE);
      for (const row of page) {
        if (signal?.aborted) return;
        looked++;
        if (this.reconcile.resyncChangesNothing(row)) continue;
        await inTransaction(this.pool, (tx) => this.reconcile.run(tx, row.job_id, null));
      }
      if (page.length < RESYNC_PAGE) break;
      after = page[page.length - 1].job_id;
    }
    this.metrics.resyncCompleted((performance.now() - started) / 1000, looked);
  }
}

const RESYNC_PAGE = 500;
