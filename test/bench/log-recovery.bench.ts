// Benchmark of P8, recovery from the log (not a test: no thresholds, never fails a build): with a
// log of 100,000 events, every topic and consumer group of the deployment is deleted (and the
// spec-service's status read model, which only Kafka feeds), as test/scenarios/log-is-truth.spec.ts
// does; then the services start on empty topics and `fjc log republish` sends the whole log again.
// Measured: from the services' start to converged, that is the republish done, every consumer group
// at the end of its topics, and the state the services keep (every table derived from the log, and
// the log itself: not one new event) equal to the state before the wipe.
// The log: two stream jobs run in Flink through FJC; then, through the event log's real append
// path (EventWriter.append, as the deployer's database role, so the writer check holds), 1,000 per
// transaction, the JobObserved events the deployer's observer writes for a checkpointing stream
// job (RUNNING, checkpoint n completed), up to BENCH_P8_EVENTS events in the log. The reconciler
// consumes them live first (that rate is reported too), so the wipe starts from a settled system.
// BENCH_P8_LIVE_LIMIT_S (default 240): if the live consumption is not done by then, the table
// reports its rate and the wipe is not done.
// Run with `npm run bench`; prints a markdown table and writes it to docs/benchmarks.md.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { inTransaction, serviceRoleName } from '@fjc/event-log';
import { EventWriter } from '@fjc/service-runtime';
import { uniqueSuffix } from '@fjc/testing';
import { Recovery } from '../support/recovery';
import { exampleSpec, FjcSystem } from '../support/system';
import { progress, sleep, waitFor, writeBench } from './bench-support';

const ROOT = join(__dirname, '..', '..');
const EVENTS = Number(process.env.BENCH_P8_EVENTS ?? 100_000);
const JOBS = 2;
const PER_TX = 1000;
/** Longest wait for the live consumption before the wipe; past it the run reports the rate it saw and stops (keeps npm run bench bounded). */
const LIVE_LIMIT_S = Number(process.env.BENCH_P8_LIVE_LIMIT_S ?? 240);

interface Row {
  readonly label: string;
  readonly items: number | string;
  readonly seconds: number;
}

async function main(): Promise<void> {
  const fjc = await FjcSystem.start({ schedulers: 1 });
  const recovery = await Recovery.open(fjc);
  const rows: Row[] = [];
  let equal = 'no';
  let logEvents = 0;
  try {
    const suffix = uniqueSuffix();
    const jobs: Array<{ jobId: string; flinkJobId: string }> = [];
    for (let i = 0; i < JOBS; i++) {
      const jobId = `bench-p8-${i}-${suffix}`;
      const spec = exampleSpec('stream-stateless.yaml', jobId, (s) => Object.assign(s.deployment as Record<string, unknown>, { checkpoint_interval: '1h' }));
      const put = await fjc.request('PUT', `/jobs/${jobId}`, spec);
      if (put.status !== 201) throw new Error(`PUT ${jobId}: ${put.status} ${JSON.stringify(put.body)}`);
      const job = await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== null, 'RUNNING', 120_000);
      jobs.push({ jobId, flinkJobId: job.flinkJobId as string });
    }
    await recovery.settled();

    const have = Number((await recovery.owner.query<{ n: string }>(`select count(*) as n from event_log`)).rows[0].n);
    const toWrite = Math.max(0, EVENTS - have);
    progress(`log has ${have} events; appending ${toWrite} JobObserved as the deployer, ${PER_TX} per transaction`);
    const database = new URL(fjc.world.db.url).pathname.slice(1);
    const role = serviceRoleName('deployer', database, fjc.world.env);
    const writer = new EventWriter({ name: 'deployer', instanceId: 'bench-p8' }, { now: () => new Date() });
    const startedAt = new Date().toISOString();
    const t0 = Date.now();
    for (let done = 0, round = 0; done < toWrite; round++) {
      const { jobId, flinkJobId } = jobs[round % JOBS];
      const n = Math.min(PER_TX, toWrite - done);
      const base = Math.floor(done / JOBS) + 1;
      const events = Array.from({ length: n }, (_, i) => ({
        type: 'JobObserved' as const,
        payload: {
          flinkJobId,
          flinkState: 'RUNNING' as const,
          startTime: startedAt,
          lastCheckpoint: { id: base + i, completedAt: new Date().toISOString() },
          checkpoints: { completed: base + i, failed: 0, inProgress: 0 },
        },
      }));
      await inTransaction(recovery.owner, async (tx) => {
        await tx.query(`set local role ${role}`);
        const res = await writer.append(tx, `deployer-${jobId}`, 'any', jobId, events, { actor: writer.serviceActor, correlationId: randomUUID(), causationId: null });
        if (res.status !== 'appended') throw new Error(`append: ${res.status}`);
      });
      done += n;
    }
    logEvents = have + toWrite;
    rows.push({ label: `append ${toWrite} JobObserved, ${PER_TX} per transaction (the deployer's role)`, items: toWrite, seconds: (Date.now() - t0) / 1000 });
    const t1 = Date.now();
    const observed = () => recovery.owner.query<{ n: string }>(`select count(*) as n from inbox where topic = $1`, [`${fjc.world.topicPrefix}job.observations`]).then((r) => Number(r.rows[0].n));
    const observedBefore = await observed();
    const caughtUp = await waitFor('every consumer group at the end', async () => ((await recovery.consumedToTheEnd()).length === 0 ? true : undefined), LIVE_LIMIT_S * 1000, 500).catch(() => false);
    if (!caughtUp) {
      const consumed = (await observed()) - observedBefore;
      rows.push({ label: `live: the reconciler consumed JobObserved (stopped after ${LIVE_LIMIT_S} s, not caught up; no wipe done)`, items: consumed, seconds: (Date.now() - t1) / 1000 });
    }
    if (caughtUp) {
      rows.push({ label: 'live: relayed and consumed to the end of every topic', items: toWrite, seconds: (Date.now() - t1) / 1000 });
      progress(`consumed live in ${rows.at(-1)?.seconds.toFixed(1)} s; settling`);
      await recovery.settled();
      const before = await recovery.snapshot();
      logEvents = before.log.events as number;

      // Lose everything Kafka held, as in the log-is-truth scenario.
      await Promise.all([...fjc.services.values()].map((s) => s.stop()));
      const prefix = fjc.world.topicPrefix;
      const topics = (await recovery.admin.listTopics()).filter((t) => t.startsWith(prefix));
      const groups = (await recovery.admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
      const left = async () => (await recovery.admin.listGroups()).groups.map((g) => g.groupId).filter((g) => groups.includes(g));
      await waitFor('the groups deleted', async () => {
        await recovery.admin.deleteGroups(await left()).catch(() => undefined);
        return (await left()).length === 0 ? true : undefined;
      }, 60_000, 1000);
      await recovery.admin.deleteTopics({ topics, timeout: 30_000 });
      await waitFor('the topics gone', async () => ((await recovery.admin.listTopics()).some((t) => t.startsWith(prefix)) ? undefined : true), 60_000, 500);
      await recovery.owner.query(`delete from job_status`);
      await recovery.owner.query(`delete from inbox where topic = $1`, [`${prefix}job.lifecycle`]);
      progress(`wiped ${topics.length} topics and ${groups.length} groups; starting the services and republishing ${logEvents} events`);

      const t2 = Date.now();
      for (const svc of fjc.services.values()) await svc.start();
      const servicesUp = (Date.now() - t2) / 1000;
      const t3 = Date.now();
      const republish = spawn(process.execPath, [join(ROOT, 'tools', 'cli', 'bin', 'fjc.js'), 'log', 'republish'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: fjc.world.db.url, KAFKA_BROKERS: fjc.world.env.KAFKA_BROKERS, FJC_TOPIC_PREFIX: prefix },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      republish.stdout.on('data', (d: Buffer) => (out += d.toString()));
      republish.stderr.on('data', () => undefined);
      const code = await new Promise<number | null>((r) => republish.once('exit', r));
      if (code !== 0) throw new Error(`fjc log republish exited ${code}: ${out}`);
      const republished = (Date.now() - t3) / 1000;
      const same = JSON.stringify({ ...before });
      await waitFor('converged', async () => {
        if ((await recovery.consumedToTheEnd()).length > 0) return undefined;
        return JSON.stringify(await recovery.snapshot()) === same ? true : undefined;
      }, 600_000, 250);
      const converged = (Date.now() - t2) / 1000;
      rows.push({ label: 'services started on empty topics (all four ready)', items: '', seconds: servicesUp });
      rows.push({ label: `fjc log republish (${out.trim()})`, items: logEvents, seconds: republished });
      rows.push({ label: 'converged: from the services\' start to republish done, every group at the end, state equal', items: logEvents, seconds: converged });
      progress(`converged in ${converged.toFixed(1)} s; checking it stays so`);
      await recovery.settled();
      equal = JSON.stringify(await recovery.snapshot()) === same ? 'yes' : 'NO';
    }
  } finally {
    await recovery.close();
    await fjc.stop();
  }
  const table = [
    '| step | events | seconds | per second |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.label} | ${r.items} | ${r.seconds.toFixed(1)} | ${typeof r.items === 'number' && r.seconds > 0 ? Math.round(r.items / r.seconds) : ''} |`),
  ].join('\n');
  writeBench('log-recovery', table, `Log of ${logEvents} events; state after settling equal to the state before the wipe: ${equal}.`);
}

main().catch(async (err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  await sleep(0);
  process.exit(1);
});
