// Runs the queued actions: looks for the oldest open action of each job every FJC_ACTION_POLL_MS
// (or when woken by a new request), takes the job's lock, and carries out that job's actions one
// after another. Different jobs run concurrently, up to FJC_ACTION_CONCURRENCY. An action that
// throws (database down, a bug) stays open and is tried again after a growing pause; one that keeps
// throwing for another reason than the database fails after FJC_ACTION_MAX_INTERRUPTIONS tries. An
// action whose cluster's circuit breaker is open waits unstarted, leaving the slot to others. On shutdown
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

  /** A new action's transaction has committed: look now. */
  wakeNow(): void {
    this.loop.wake();
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
        const result = await this.execute.execute(actionId, this.stopping.signal);
        if (result !== undefined) {
          // Its cluster's breaker is open: the action waits, unstarted, and the slot goes to others.
          this.backoff.set(actionId, { until: result.deferredUntil, failures: this.backoff.get(actionId)?.failures ?? 0 });
          this.logger.log({ event: 'action.deferred', actionId, jobId, until: new Date(result.deferredUntil).toISOString(), msg: 'cluster circuit breaker open: action waits unstarted' }, 'deployer');
          return;
        }
        this.backoff.delete(actionId);
      } catch (err) {
        if (err instanceof StoppingError) return;
        await this.interrupted(jobId, actionId, err);
        return;
      }
    }
  }

  /**
   * An action threw. A database outage only pauses it; anything else counts, and after
   * actionMaxInterruptions in a row the action fails (FJC_ACTION_UNCLASSIFIED): no path retries forever.
   */
  private async interrupted(jobId: string, actionId: string, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    const databaseDown = isDatabaseUnavailable(err);
    const previous = this.backoff.get(actionId)?.failures ?? 0;
    const failures = databaseDown ? previous : previous + 1;
    if (!databaseDown && failures >= this.config.actionMaxInterruptions) {
      try {
        await this.execute.giveUp(actionId, failures, message);
        this.backoff.delete(actionId);
        this.logger.error({ event: 'action.abandoned', code: 'FJC_ACTION_UNCLASSIFIED', actionId, jobId, failures, err: message, msg: 'action failed too often for an unclassified reason; recorded as failed' }, 'deployer');
        return;
      } catch (recordErr) {
        this.logger.error({ event: 'action.abandon.failed', actionId, jobId, err: String(recordErr), msg: 'could not record the failure; trying again later' }, 'deployer');
      }
    }
    const pauseMs = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, failures - 1));
    this.backoff.set(actionId, { until: this.clock.now().getTime() + pauseMs, failures });
    this.logger.error(
      { event: 'action.interrupted', actionId, jobId, failures, databaseDown, retryInMs: pauseMs, err: message, msg: 'action interrupted; it resumes as a new attempt' },
      'deployer',
    );
  }
}

/** Errors of an unreachable or restarting PostgreSQL: a wait, not a fault of the action. */
function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (/^08/.test(code) || /^57P0[1-3]$/.test(code) || /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND)$/.test(code))) return true;
  const message = err instanceof Error ? err.message : String(err);
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection/i.test(message);
}
