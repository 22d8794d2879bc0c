// Runs the queued actions: looks for the oldest open action of each job every FJC_ACTION_POLL_MS
// (or when woken by a new request), takes the job's lock, and carries out that job's actions one
// after another. Different jobs run concurrently, up to FJC_ACTION_CONCURRENCY. An action that
// throws (database down, a bug) stays open and is tried again after a growing pause. On shutdown
// running actions stop at their next wait and resume, as a new attempt, on the next start.
// The look-ups run on a PollingLoop; it and the running actions stop in
// beforeApplicationShutdown, before the pool closes.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { Pool } from 'pg';
import { CLOCK, DB_POOL, loopLoggerOf, PollingLoop, type Clock } from '@fjc/service-runtime';
import { DEPLOYER_CONFIG, type DeployerConfig } from '../config/deployer-config';
import { StoppingError } from '../time/sleep';
import { nextActionPerJob, oldestOpenAction } from './action-store';
import { ExecuteAction } from './execute-action';
import { JobLocks } from './job-locks';

const MAX_BACKOFF_MS = 60_000;

@Injectable()
export class ActionExecutor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly running = new Map<string, Promise<void>>();
  private readonly backoff = new Map<string, { until: number; failures: number }>();
  private readonly stopping = new AbortController();
  private readonly loop: PollingLoop;

  constructor(
    @Inject(DB_POOL) private readonly pool: Pool,
    private readonly execute: ExecuteAction,
    private readonly locks: JobLocks,
    @Inject(DEPLOYER_CONFIG) private readonly config: DeployerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.loop = new PollingLoop({
      name: 'action-queue',
      intervalMs: config.actionPollMs,
      pass: () => this.tick(),
      errorCode: 'FJC_ACTION_QUEUE_FAILED',
      logger: loopLoggerOf(logger, 'deployer'),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop.stop();
    await Promise.allSettled(this.running.values());
  }

  /** A new action was queued: look soon (its transaction commits right after the handler returns). */
  wake(): void {
    this.loop.wake(50);
  }

  private async tick(): Promise<void> {
    if (this.running.size >= this.config.actionConcurrency) return;
    const now = this.clock.now().getTime();
    for (const { jobId, actionId } of await nextActionPerJob(this.pool, 100)) {
      if (this.stopping.signal.aborted || this.running.size >= this.config.actionConcurrency) return;
      if (this.running.has(jobId) || (this.backoff.get(actionId)?.until ?? 0) > now) continue;
      const lock = await this.locks.tryLock(jobId);
      if (lock === null) continue;
      const run = this.drainJob(jobId).finally(async () => {
        await lock.release();
        this.running.delete(jobId);
      });
      this.running.set(jobId, run);
    }
  }

  /** Carries out the job's open actions in order while holding its lock. */
  private async drainJob(jobId: string): Promise<void> {
    for (;;) {
      if (this.stopping.signal.aborted) return;
      const actionId = await oldestOpenAction(this.pool, jobId).catch(() => null);
      if (actionId === null || (this.backoff.get(actionId)?.until ?? 0) > this.clock.now().getTime()) return;
      try {
        await this.execute.execute(actionId, this.stopping.signal);
        this.backoff.delete(actionId);
      } catch (err) {
        if (err instanceof StoppingError) return;
        const failures = (this.backoff.get(actionId)?.failures ?? 0) + 1;
        const pauseMs = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - 1));
        this.backoff.set(actionId, { until: this.clock.now().getTime() + pauseMs, failures });
        this.logger.error(
          { event: 'action.interrupted', actionId, jobId, failures, retryInMs: pauseMs, err: err instanceof Error ? err.message : String(err), msg: 'action interrupted; it resumes as a new attempt' },
          'deployer',
        );
        return;
      }
    }
  }
}
