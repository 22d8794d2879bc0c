// PostgreSQL restarted (fast shutdown, a few seconds down, started again) twice under a running
// FJC: no service exits, every upstream command gets exactly one result, nothing is
// dead-lettered, /health/ready says "not ready: postgres" during the outage and ready after, and
// a savepoint upgrade in progress completes with exactly one Flink job running. A service started
// while PostgreSQL is down waits for it instead of exiting.
import { eventually, uniqueSuffix } from '@fjc/testing';
import { exampleSpec } from '../support/system';
import { startPostgres, stopPostgres } from './support/fault-stack';
import { exitedServices, OutageWorld, sleep } from './support/outage';

const DOWN_MS = 4_000;

describe('PostgreSQL outages', () => {
  let w: OutageWorld;
  beforeAll(async () => {
    w = await OutageWorld.start();
  });
  afterAll(async () => {
    await w?.stop();
  });

  /** Stops PostgreSQL, checks every service reports it, keeps it down DOWN_MS, starts it again. */
  async function outage(during: () => Promise<void> = async () => undefined): Promise<{ from: number; to: number }> {
    const from = Date.now();
    await stopPostgres();
    await during();
    await w.watch.allNotReadyAfter('postgres', from);
    await sleep(DOWN_MS);
    await startPostgres();
    const to = Date.now();
    return { from, to };
  }

  it('loses no upstream command of a burst of 200 across two restarts', async () => {
    const commands = w.upstream.commands(50, 4);
    await w.upstream.send(commands.slice(0, 80));
    const first = await outage(() => w.upstream.send(commands.slice(80, 120)));
    await w.watch.allReadyAfter(first.to);
    await w.upstream.send(commands.slice(120, 160));
    const second = await outage(() => w.upstream.send(commands.slice(160)));
    await w.watch.allReadyAfter(second.to);
    await w.expectBurstAppliedOnce(commands);
    // Readiness named PostgreSQL during each outage, for every service.
    w.expectAllNotReady('postgres', first.from, first.to);
    w.expectAllNotReady('postgres', second.from, second.to);
  });

  it('completes a savepoint upgrade across two restarts, with exactly one Flink job running', async () => {
    const jobId = `sp-${uniqueSuffix()}`;
    const spec = (parallelism: number) =>
      exampleSpec('stream-savepoint.yaml', jobId, (s) => {
        (s.deployment as Record<string, unknown>).parallelism = parallelism;
        s.args = ['--mode', 'stream', '--rate', '40', '--keys', '4'];
      });
    expect((await w.fjc.request('PUT', `/jobs/${jobId}`, spec(1))).status).toBe(201);
    const first = (await w.fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== null, 'RUNNING', 90_000)).flinkJobId as string;
    expect(await w.fjc.runningInFlinkSoon(jobId)).toEqual([first]);

    expect((await w.fjc.request('PUT', `/jobs/${jobId}`, spec(2))).status).toBe(200);
    // The upgrade is under way (its first action requested) when PostgreSQL goes.
    await eventually('upgrade requested', () => w.fjc.events(jobId), (es) => es.some((e) => e.type === 'ActionRequested' && e.payload.action?.kind === 'Upgrade'), {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    const a = await outage();
    await w.watch.allReadyAfter(a.to);
    const b = await outage();
    await w.watch.allReadyAfter(b.to);

    const job = await w.fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== null && j.flinkJobId !== first && j.version === 2, 'RUNNING version 2 on a new Flink job', 180_000);
    expect(await w.fjc.runningInFlinkSoon(jobId)).toEqual([job.flinkJobId]);
    // Still exactly one a while later (no late second deploy).
    await sleep(10_000);
    expect(await w.fjc.runningInFlink(jobId)).toEqual([job.flinkJobId]);
    expect((await w.fjc.flink.job(job.flinkJobId as string))?.vertices.every((v) => v.parallelism === 2)).toBe(true);
    expect(exitedServices(w.fjc)).toEqual([]);
    expect(w.upstream.deadLetters).toEqual([]);
  });

  it('a service started while PostgreSQL is down waits for it, then starts', async () => {
    await w.expectLateStartWaits('reconciler', 'postgres', stopPostgres, startPostgres, { startMs: 420_000, waitingWithinMs: 240_000 });
  });
});
