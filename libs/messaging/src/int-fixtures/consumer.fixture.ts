// A consumer process for the delivery test: a Nest microservice on KafkaTransport whose
// @EventPattern handler records one effect row per event in the message's transaction, and
// throws for events marked as poison.
import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Pool } from 'pg';
import { KafkaMessageContext, KafkaTransport, type MessageParser } from '../index';

const TOPIC = process.env.TOPIC ?? '';

interface TestEnvelope {
  id: string;
  jobId: string;
  payload: { seq: number; poison?: boolean };
}

const parseEnvelope: MessageParser = (value) => {
  const v = value as Partial<TestEnvelope> | null;
  if (typeof v?.id !== 'string' || typeof v.jobId !== 'string' || typeof v.payload?.seq !== 'number') {
    return { ok: false, error: 'id, jobId and payload.seq are required' };
  }
  return { ok: true, value: v, id: v.id };
};

@Controller()
class EffectsController {
  @EventPattern(TOPIC)
  async onEvent(@Payload() event: TestEnvelope, @Ctx() ctx: KafkaMessageContext): Promise<void> {
    if (event.payload.poison) throw new Error(`poison event ${event.id}`);
    await ctx.tx.query('insert into effects (event_id, job_id, seq, partition) values ($1, $2, $3, $4)', [
      event.id,
      event.jobId,
      event.payload.seq,
      ctx.info.partition,
    ]);
  }
}

@Module({ controllers: [EffectsController] })
class ConsumerModule {}

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 12 });
  const transport = new KafkaTransport({
    brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
    clientId: 'consumer-fixture',
    groupId: process.env.GROUP ?? 'delivery-test',
    topics: { [TOPIC]: parseEnvelope },
    pool,
    dlqTopic: process.env.DLQ ?? '',
    maxAttempts: 3,
    retryBackoffMs: 50,
    partitionsConsumedConcurrently: 6,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 1_000,
  });
  transport.on('crash', () => process.exit(3));
  const app = await NestFactory.createMicroservice(ConsumerModule, { strategy: transport, logger: ['error', 'warn'] });
  await app.listen();
  await transport.waitUntilJoined();
  process.stdout.write('consumer joined\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`consumer fixture failed: ${String(err)}\n`);
  process.exit(1);
});
