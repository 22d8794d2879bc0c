// The Kafka broker killed with SIGKILL and started again during a burst of 200 upstream commands:
// no service exits, every command gets exactly one result, nothing is dead-lettered, and
// /health/ready says "not ready: kafka" while the broker is gone and ready after. A service
// started while the broker is down waits for it instead of exiting.
import { eventually, ServiceProcess } from '@fjc/testing';
import { FjcSystem } from '../support/system';
import { killKafka, startKafka } from './support/fault-stack';
import { exitedServices, ReadinessWatch, sleep, Upstream } from './support/outage';

describe('Kafka outage', () => {
  let fjc: FjcSystem;
  let upstream: Upstream;
  let watch: ReadinessWatch;

  beforeAll(async () => {
    // Fewer partitions than the default 12: a broker restarted on a busy machine recovers sooner.
    fjc = await FjcSystem.start({ env: { FJC_TOPIC_PARTITIONS: '4' } });
    upstream = new Upstream(fjc);
    await upstream.start();
    watch = new ReadinessWatch(fjc);
  });
  afterAll(async () => {
    await watch?.stop();
    await upstream?.stop();
    await fjc?.stop();
  });

  it('loses no upstream command of a burst of 200 across a kill -9 of the broker', async () => {
    const commands = upstream.commands(50, 4);
    await upstream.send(commands.slice(0, 100));
    const from = Date.now();
    await killKafka();
    await watch.allNotReadyAfter('kafka', from);
    await sleep(4_000);
    await startKafka();
    const to = Date.now();
    await upstream.send(commands.slice(100));
    await watch.allReadyAfter(to, 180_000);

    const results = await upstream.resultsFor(commands.map((c) => c.commandId), 300_000);
    for (const c of commands) expect([...(results.get(c.commandId) ?? [])].length).toBe(1);
    const accepted = commands.map((c) => JSON.parse([...(results.get(c.commandId) ?? [])][0] ?? 'null') as { status: string; version: number });
    expect(accepted.every((r) => r.status === 'accepted')).toBe(true);
    expect(accepted.map((r) => r.version)).toEqual(commands.map((_, i) => Math.floor(i / 50) + 1));

    const services = [...fjc.services.keys()].sort();
    expect([...watch.notReadyBetween('kafka', from, to)].sort()).toEqual(services);
    expect(exitedServices(fjc)).toEqual([]);
    await sleep(3_000);
    expect(upstream.deadLetters).toEqual([]);
    // The spec events reached the reconciler: the last version of a job is what it works on.
    const job = await fjc.job(commands[commands.length - 1].jobId);
    expect(job.version).toBe(4);
  });

  it('a service started while Kafka is down waits for it, then starts', async () => {
    const late = new ServiceProcess('spec-service', fjc.world.env, 2);
    await killKafka();
    try {
      const starting = late.start(240_000);
      starting.catch(() => undefined);
      await eventually('a FJC_DEPENDENCY_WAITING line', async () => late.logs(200), (l) => /FJC_DEPENDENCY_WAITING.*kafka|kafka.*FJC_DEPENDENCY_WAITING/.test(l), { timeoutMs: 90_000, intervalMs: 250 });
      expect(late.exited).toBe(false);
      await startKafka();
      await starting;
      expect((await fetch(`${late.url}/health/ready`)).status).toBe(200);
    } finally {
      await startKafka().catch(() => undefined);
      await late.stop();
    }
    expect(exitedServices(fjc)).toEqual([]);
  });
});
