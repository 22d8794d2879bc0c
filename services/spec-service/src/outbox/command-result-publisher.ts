// Publishes upstream command results from the outbox to fjc.spec.command-results (key: jobId),
// then marks them published, in one transaction holding the rows' locks. Runs on a PollingLoop
// from bootstrap; stopped in beforeApplicationShutdown, before the producer and pool close. Delivery is at least once: a crash after Kafka
// acknowledged but before the commit re-sends the identical result, never a different one.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { Logger } from 'nestjs-pino';
import type { Pool } from 'pg';
import { inTransaction } from '@fjc/event-log';
import { DB_POOL, KAFKA_PRODUCER, loopLoggerOf, PollingLoop, TOPICS, type Topics } from '@fjc/service-runtime';
import { SpecMetrics } from '../observability/spec-metrics';
import { claimUnpublished, markPublished, resultJson } from './command-results-table';

const BATCH = 100;

@Injectable()
export class CommandResultPublisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly pollMs = Number(process.env.FJC_OUTBOX_POLL_MS ?? 200);
  private readonly loop: PollingLoop;

  constructor(
    @Inject(DB_POOL) private readonly pool: Pool,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(TOPICS) private readonly topics: Topics,
    private readonly metrics: SpecMetrics,
    private readonly logger: Logger,
  ) {
    this.loop = new PollingLoop({
      name: 'command-results',
      intervalMs: this.pollMs,
      pass: () => this.pass(),
      errorCode: 'FJC_OUTBOX_RETRY',
      backoff: { initialMs: this.pollMs * 5 },
      logger: loopLoggerOf(this.logger, 'outbox'),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Publishes one batch; returns how many results it published. */
  async publishOnce(): Promise<number> {
    return inTransaction(this.pool, async (tx) => {
      const rows = await claimUnpublished(tx, BATCH);
      if (rows.length === 0) return 0;
      await this.producer.send({
        topic: this.topics.specCommandResults.name,
        acks: -1,
        messages: rows.map((r) => ({
          key: r.job_id,
          value: resultJson(r.result),
          headers: { 'event-type': 'SpecCommandResult', 'command-id': r.result.commandId },
        })),
      });
      await markPublished(
        tx,
        rows.map((r) => r.command_id),
      );
      return rows.length;
    });
  }

  private async pass(): Promise<{ more: boolean }> {
    const published = await this.publishOnce();
    if (published > 0) {
      this.metrics.resultsPublished(published);
      this.logger.log({ msg: `published ${published} command results`, event: 'command-results.published', count: published }, 'outbox');
    }
    return { more: published >= BATCH };
  }
}
