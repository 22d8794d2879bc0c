// PostgreSQL restarted (fast shutdown, a few seconds down, started again) twice under a running
// FJC: no service exits, every upstream command gets exactly one result, nothing is
// dead-lettered, /health/ready says "not ready: postgres" during the outage and ready after, and
// a savepoint upgrade in progress completes with exactly one Flink job running. A service started
// while PostgreSQL is down waits for it instead of exiting.
import { eventually, ServiceProcess, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';
import { startPostgres, stopPostgres } from './support/fault-stack';
import { exitedServices, ReadinessWatch, sleep, Upstream } from './support/outage';

const DOWN_MS = 4_000;

describe('PostgreSQL outages', () => {
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

  /** Stops PostgreSQL, checks every service reports it, keeps it down DOWN_MS, starts it again. */
  async function outage(during: () => Promise<void> = async () => undefined): Promise<{ from: number; to: number }> {
    const from = Date.now();
    await stopPostgres();
    await during();
    await watch.allNotReadyAfter('postgres', from);
    await sleep(DOWN_MS);
    await startPostgres();
    const to = Date.now();
    return { from, to };
  }

  it('loses no upstream command of a burst of 200 across two restarts', async () => {
    const commands = upstream.commands(50, 4);
    await upstream.send(commands.slice(0, 80));
    const first = await outage(() => upstream.send(commands.slice(80, 120)));
    await watch.allReadyAfter(first.to);
    await upstream.send(commands.slice(120, 160));
    const second = await outage(() => upstream.send(commands.slice(160)));
    await watch.allReadyAfter(second.to);

    const results = await upstream.resultsFor(commands.map((c) => c.commandId));
    // Exactly one (distinct) result per command: accepted, versions 1..4 per job in order.
    for (const c of commands) expect([...(results.get(c.commandId) ?? [])].length).toBe(1);
    const accepted = commands.map((c) => JSON.parse([...(results.get(c.commandId) ?? [])][0] ?? 'null') as { status: string; version: number });
    expect(accepted.every((r) => r.status === 'accepted')).toBe(true);
    expect(accepted.map((r) => r.version)).toEqual(commands.map((_, i) => Math.floor(i / 50) + 1));
    expect(results.size).toBe(commands.length);

    // Readiness named PostgreSQL during each outage, for every service.
    const services = [...fjc.services.keys()].sort();
    expect([...watch.notReadyBetween('postgres', first.from, first.to)].sort()).toEqual(services);
    expect([...watch.notReadyBetween('postgres', second.from, second.to)].sort()).toEqual(services);
    expect(exitedServices(fjc)).toEqual([]);
    await sleep(3_000); // a dead letter would arrive meanwhile
    expect(upstream.deadLetters).toEqual([]);
    // The last versions are in the read model.
    const job = await fjc.job(commands[commands.length - 1].jobId);
    expect(job.version).toBe(4);
  });

  it('completes a savepoint upgrade across two restarts, with exactly one Flink job running', async () => {
    const jobId = `sp-${uniqueSuffix()}`;
    const spec = (parallelism: number) =>
      exampleSpec('stream-savepoint.yaml', jobId, (s) => {
        (s.deployment as Record<string, unknown>).parallelism = parallelism;
        s.args = ['--mode', 'stream', '--rate', '40', '--keys', '4'];
      });
    expect((await fjc.request('PUT', `/jobs/${jobId}`, spec(1))).status).toBe(201);
    const first = (await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== null, 'RUNNING', 90_000)).flinkJobId as string;
    expect(await fjc.runningInFlinkSoon(jobId)).toEqual([first]);

    expect((await fjc.request('PUT', `/jobs/${jobId}`, spec(2))).status).toBe(200);
    // The upgrade is under way (its first action requested) when PostgreSQL goes.
    await eventually('upgrade requested', () => fjc.events(jobId), (es) => es.some((e) => e.type === 'ActionRequested' && e.payload.action?.kind === 'Upgrade'), {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    const a = await outage();
    await watch.allReadyAfter(a.to);
    const b = await outage();
    await watch.allReadyAfter(b.to);

    const job = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== null && j.flinkJobId !== first && j.version === 2, 'RUNNING version 2 on a new Flink job', 180_000);
    expect(await fjc.runningInFlinkSoon(jobId)).toEqual([job.flinkJobId]);
    // Still exactly one a while later (no late second deploy).
    await sleep(10_000);
    expect(await fjc.runningInFlink(jobId)).toEqual([job.flinkJobId]);
    expect((await fjc.flink.job(job.flinkJobId as string))?.vertices.every((v) => v.parallelism === 2)).toBe(true);
    expect(exitedServices(fjc)).toEqual([]);
    expect(upstream.deadLetters).toEqual([]);
  });

  it('a service started while PostgreSQL is down waits for it, then starts', async () => {
    const late = new ServiceProcess('reconciler', fjc.world.env, 2);
    await stopPostgres();
    try {
      const starting = late.start(180_000);
      starting.catch(() => undefined);
      await eventually('a FJC_DEPENDENCY_WAITING line', async () => late.logs(200), (l) => /FJC_DEPENDENCY_WAITING.*postgres|postgres.*FJC_DEPENDENCY_WAITING/.test(l), { timeoutMs: 60_000, intervalMs: 250 });
      expect(late.exited).toBe(false);
      await startPostgres();
      await starting;
      expect((await fetch(`${late.url}/health/ready`)).status).toBe(200);
    } finally {
      await startPostgres().catch(() => undefined);
      await late.stop();
    }
    expect(exitedServices(fjc)).toEqual([]);
  });
});
