// The shutdown order every FJC service relies on, checked on Nest itself: a loop stopped in
// beforeApplicationShutdown finishes its pass in flight before a pool closed in
// onApplicationShutdown goes away: Nest runs every module's beforeApplicationShutdown before any
// onApplicationShutdown. (Within one phase the order is by module distance only; the pool's
// module is global, as PlatformModule is.)
import 'reflect-metadata';
import { Global, Injectable, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PollingLoop } from './polling-loop';

const trace: string[] = [];
let releasePass: () => void = () => undefined;
let passStarted: () => void = () => undefined;
const passInFlight = new Promise<void>((r) => (passStarted = r));

@Injectable()
class FakePool implements OnApplicationShutdown {
  private ended = false;
  async query(): Promise<void> {
    if (this.ended) throw new Error('Cannot use a pool after calling end on the pool');
    trace.push('query');
  }
  onApplicationShutdown(): void {
    this.ended = true;
    trace.push('pool ended');
  }
}

@Global()
@Module({ providers: [FakePool], exports: [FakePool] })
class PoolModule {}

@Injectable()
class Worker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: PollingLoop;
  constructor(pool: FakePool) {
    this.loop = new PollingLoop({
      name: 'worker',
      intervalMs: 10,
      errorCode: 'FJC_TEST',
      logger: { warn: (o) => trace.push(`warn ${JSON.stringify(o)}`), error: (o) => trace.push(`error ${JSON.stringify(o)}`) },
      pass: async () => {
        passStarted();
        await new Promise<void>((r) => (releasePass = r));
        await pool.query();
        trace.push('pass done');
      },
    });
  }
  onApplicationBootstrap(): void {
    this.loop.start();
  }
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    trace.push('loop stopped');
  }
}

@Module({ providers: [Worker] })
class WorkerModule {}

@Module({ imports: [PoolModule, WorkerModule] })
class AppModule {}

describe('shutdown order (Nest lifecycle)', () => {
  it('lets the pass in flight use the pool, then closes the pool', async () => {
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    await app.init();
    await passInFlight;
    const closing = app.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(trace).toEqual([]);
    releasePass();
    await closing;
    expect(trace).toEqual(['query', 'pass done', 'loop stopped', 'pool ended']);
  });
});
