// Publishes upstream command results from the outbox to fjc.spec.command-results (key: jobId),
// then marks them published, in one transaction holding the rows' locks. Started on bootstrap,
// stopped before the producer and pool close. Delivery is at least once: a crash after Kafka
// acknowledged but before the commit re-sends the identical result, never a different one.
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { Logger } from 'nestjs-pino';
import type { Pool } from 'pg';
import { inTransaction } from '@fjc/event-log';
import { DB_POOL, KAFKA_PRODUCER, TOPICS, type Topics } from '@fjc/service-runtime';
import { SpecMetrics } from '../observability/spec-metrics';
import { claimUnpublished, markPublished, resultJson } from './command-results-table';

const BATCH = 100;

@Injectable()
export class CommandResultPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly pollMs = Number(process.env.FJC_OUTBOX_POLL_MS ?? 200);

  constructor(
    @Inject(DB_POOL) private readonly pool: Pool,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(TOPICS) private readonly topics: Topics,
    private readonly metrics: SpecMetrics,
    private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
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
          headers: { 'event-type': 'SpecCommandResult', 'command-id': r.command_id },
        })),
      });
      await markPublished(
        tx,
        rows.map((r) => r.command_id),
      );
      return rows.length;
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const published = await this.publishOnce();
        if (published > 0) {
          this.metrics.resultsPublished(published);
          this.logger.log({ msg: `published ${published} command results`, event: 'command-results.published', count: published }, 'outbox');
        }
        if (published < BATCH) await this.sleep(this.pollMs);
      } catch (err) {
        this.logger.warn({ msg: 'publishing command results failed; retrying', code: 'FJC_OUTBOX_RETRY', err: String(err) }, 'outbox');
        await this.sleep(this.pollMs * 5);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
