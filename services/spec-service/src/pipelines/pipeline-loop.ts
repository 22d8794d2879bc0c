// Runs the pipeline pass on a PollingLoop from bootstrap until shutdown: due cron times start
// runs, due retries start their stages. Each pass is one transaction; a failing pass is logged
// and retried after a back-off, with nothing half-done (a PostgreSQL outage is a wait).
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { DB_POOL, loopLoggerOf, PollingLoop } from '@fjc/service-runtime';
import { inTransaction } from '@fjc/event-log';
import type { Pool } from 'pg';
import { PipelineRuns } from './pipeline-runs';

export const PIPELINE_LOOP_INTERVAL_MS = Symbol('PIPELINE_LOOP_INTERVAL_MS');
const CLAIM_LIMIT = 20;

/** FJC_PIPELINE_INTERVAL_MS: how often the loop looks for due cron times and retries (default 1000). */
export function pipelineIntervalFromEnv(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.FJC_PIPELINE_INTERVAL_MS;
  if (raw === undefined || raw === '') return 1000;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 50 || ms > 60_000) throw new Error(`FJC_PIPELINE_INTERVAL_MS must be a whole number of milliseconds from 50 to 60000, got ${JSON.stringify(raw)}`);
  return ms;
}

@Injectable()
export class PipelineLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: PollingLoop;

  constructor(
    runs: PipelineRuns,
    @Inject(DB_POOL) pool: Pool,
    @Inject(PIPELINE_LOOP_INTERVAL_MS) private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {
    this.loop = new PollingLoop({
      name: 'pipeline-loop',
      intervalMs,
      pass: async () => ({ more: (await inTransaction(pool, (tx) => runs.pass(tx, CLAIM_LIMIT))) >= CLAIM_LIMIT }),
      errorCode: 'FJC_PIPELINE_PASS_FAILED',
      logger: loopLoggerOf(logger, 'pipelines'),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
    this.logger.log({ msg: 'pipeline loop started', event: 'pipelines.loop_started', intervalMs: this.intervalMs }, 'pipelines');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
