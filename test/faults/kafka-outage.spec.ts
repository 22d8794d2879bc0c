// The Kafka broker killed with SIGKILL and started again during a burst of 200 upstream commands:
// no service exits, every command gets exactly one result, nothing is dead-lettered, and
// /health/ready says "not ready: kafka" while the broker is gone and ready after. A service
// started while the broker is down waits for it instead of exiting.
import { killKafka, startKafka } from './support/fault-stack';
import { OutageWorld, sleep } from './support/outage';

describe('Kafka outage', () => {
  let w: OutageWorld;
  beforeAll(async () => {
    w = await OutageWorld.start();
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('loses no upstream command of a burst of 200 across a kill -9 of the broker', async () => {
    const commands = w.upstream.commands(50, 4);
    await w.upstream.send(commands.slice(0, 100));
    const from = Date.now();
    await killKafka();
    await w.watch.allNotReadyAfter('kafka', from);
    await sleep(4_000);
    await startKafka();
    const to = Date.now();
    await w.upstream.send(commands.slice(100));
    await w.watch.allReadyAfter(to, 180_000);
    await w.expectBurstAppliedOnce(commands, 300_000);
    w.expectAllNotReady('kafka', from, to);
  });

  it('a service started while Kafka is down waits for it, then starts', async () => {
    await w.expectLateStartWaits('spec-service', 'kafka', killKafka, startKafka, { startMs: 420_000, waitingWithinMs: 240_000 });
  });
});
