// Benchmark of P1, the control path's latency (not a test: no thresholds, never fails a build):
// from a spec accepted (its SpecUpdated committed by the spec-service) to the deployer's
// ActionStarted, which the deployer commits right before it calls Flink's REST API. Measured one
// change at a time (idle) and at 50 and 200 changes per second, beside the physical limit of that
// path measured in the same run at the same rate: one PostgreSQL INSERT+COMMIT followed by two
// raw kafkajs hops (produce, a running consumer receives it and produces on, a second consumer
// receives it), which is the least any design with a log in PostgreSQL and two Kafka hops
// (spec-service -> reconciler -> deployer) can take.
// Also reported: accepted to the action queued in the deployer (its inbox transaction), which
// is the two hops without the deployer's queue and Flink's own pace.
// The jobs are bounded batch runs of the test job (10 records) on the stack's Flink: under load
// the deployer's 4 concurrent actions and Flink's slots pace ActionStarted, and that shows in the
// loaded rows; the "queued" column is what FJC's own wake-ups decide.
// Run with `npm run bench`; prints a markdown table and writes it to docs/benchmarks.md.
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { Client, Pool } from 'pg';
import { stackEnv, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';
import { cpuCost, type CpuCost, progress, readCpu, sleep, stats, waitQuiet, writeBench, type Stats } from './bench-support';

const IDLE_SAMPLES = Number(process.env.BENCH_IDLE_SAMPLES ?? 15);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 2);
const RATES = (process.env.BENCH_RATES ?? '50,200').split(',').filter(Boolean).map(Number);

interface Row {
  readonly label: string;
  readonly limit: Stats;
  readonly decided: Stats;
  readonly queued: Stats;
  readonly started: Stats;
  /** CPU from the first change until every one had its ActionStarted (Flink's own included). */
  readonly cpu: CpuCost;
}

const CPU_GROUPS = ['spec-service', 'reconciler', 'scheduler', 'deployer', 'PostgreSQL', 'Kafka', 'Flink', 'bench client'];

/** Fires `count` calls of `one` at `rate` per second (not waiting for each) and waits for all. */
async function atRate(rate: number, count: number, one: (i: number) => Promise<void>): Promise<void> {
  const start = Date.now();
  const all: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rate;
    if (due > Date.now()) await sleep(due - Date.now());
    all.push(one(i));
  }
  await Promise.all(all);
}

/** The physical limit: INSERT+COMMIT, then two kafkajs hops, per sample; `count` samples at `rate`/s (0: one at a time). */
async function rawPath(dbUrl: string, rate: number, count: number): Promise<number[]> {
  const kafka = new Kafka({ clientId: 'bench-latency', brokers: stackEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
  const suffix = uniqueSuffix();
  const [a, b] = [`bench-hop-a-${suffix}`, `bench-hop-b-${suffix}`];
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: a, numPartitions: 1 }, { topic: b, numPartitions: 1 }], waitForLeaders: true });
  // One producer per hop, as in FJC (the relay of one service; a hop on is another process's relay).
  const producer = kafka.producer();
  const forward = kafka.producer();
  await producer.connect();
  await forward.connect();
  const pool = new Pool({ connectionString: dbUrl, max: 8 });
  await pool.query('create table if not exists bench_raw (id bigserial primary key, body text not null)');
  const done = new Map<string, (t: number) => void>();
  const consumers: Consumer[] = [];
  const consume = async (topic: string, on: (key: string) => Promise<void>) => {
    const c = kafka.consumer({ groupId: `${topic}-g`, maxWaitTimeInMs: 100 });
    consumers.push(c);
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    let joined!: () => void;
    const ready = new Promise<void>((r) => (joined = r));
    c.on(c.events.GROUP_JOIN, () => joined());
    await c.run({ eachMessage: async ({ message }) => on(String(message.key)) });
    await ready;
  };
  try {
    await consume(a, async (key) => {
      await forward.send({ topic: b, acks: -1, messages: [{ key, value: 'x' }] });
    });
    await consume(b, async (key) => done.get(key)?.(Date.now()));
    await sleep(500);
    const samples: number[] = [];
    const one = async (i: number) => {
      const key = `k${i}`;
      const t0 = Date.now();
      const arrived = new Promise<number>((r) => done.set(key, r));
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query('insert into bench_raw (body) values ($1)', [key]);
        await client.query('commit');
      } finally {
        client.release();
      }
      await producer.send({ topic: a, acks: -1, messages: [{ key, value: 'x' }] });
      samples.push((await arrived) - t0);
    };
    if (rate === 0) for (let i = 0; i < count; i++) await one(i);
    else await atRate(rate, count, one);
    return samples;
  } finally {
    for (const c of consumers) await c.disconnect().catch(() => undefined);
    await producer.disconnect();
    await forward.disconnect();
    await admin.deleteTopics({ topics: [a, b] }).catch(() => undefined);
    await admin.disconnect();
    await pool.end();
  }
}

/** Per job: ms from its SpecUpdated to the deployer's action queued and to its ActionStarted (first attempt). */
async function fjcLatencies(db: Client, jobIds: string[]): Promise<{ decided: number[]; queued: number[]; started: number[] }> {
  const res = await db.query<{ decided_ms: number | null; queued_ms: number | null; started_ms: number | null }>(
    `with accepted as (select job_id, min(occurred_at) as at from event_log where type = 'SpecUpdated' and job_id = any($1) group by job_id)
     select extract(epoch from (select min(e.occurred_at) from event_log e where e.job_id = accepted.job_id and e.type = 'ActionRequested') - accepted.at) * 1000 as decided_ms,
            extract(epoch from (select min(a.requested_at) from deployer_actions a where a.job_id = accepted.job_id) - accepted.at) * 1000 as queued_ms,
            extract(epoch from (select min(e.occurred_at) from event_log e where e.job_id = accepted.job_id and e.type = 'ActionStarted') - accepted.at) * 1000 as started_ms
       from accepted`,
    [jobIds],
  );
  return {
    decided: res.rows.filter((r) => r.decided_ms !== null).map((r) => Number(r.decided_ms)),
    queued: res.rows.filter((r) => r.queued_ms !== null).map((r) => Number(r.queued_ms)),
    started: res.rows.filter((r) => r.started_ms !== null).map((r) => Number(r.started_ms)),
  };
}

async function waitStarted(db: Client, jobIds: string[]): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const res = await db.query<{ n: number }>(`select count(distinct job_id)::int as n from event_log where type = 'ActionStarted' and job_id = any($1)`, [jobIds]);
    if (res.rows[0].n >= jobIds.length) return;
    await sleep(250);
  }
  progress(`not every job reached ActionStarted within 180 s; reporting those that did`);
}

async function cancelFlinkJobs(fjc: FjcSystem): Promise<void> {
  const flink = stackEnv('FLINK_REST_URL');
  const db = new Client({ connectionString: fjc.world.db.url });
  await db.connect();
  try {
    const ids = await db.query<{ id: string }>(`select distinct payload->'action'->>'flinkJobId' as id from event_log where type = 'ActionRequested' and payload->'action'->>'flinkJobId' is not null`);
    for (const { id } of ids.rows) await fetch(`${flink}/jobs/${id}?mode=cancel`, { method: 'PATCH' }).catch(() => undefined);
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  const replicas = Number(process.env.BENCH_REPLICAS ?? 1);
  const fjc = await FjcSystem.start({ replicas, schedulers: 1, ...(process.env.BENCH_LOG_DIR ? { logDir: process.env.BENCH_LOG_DIR } : {}) });
  const db = new Client({ connectionString: fjc.world.db.url });
  await db.connect();
  const rows: Row[] = [];
  const groups: Record<string, number[]> = {};
  for (const [key, svc] of fjc.services) (groups[key.replace(/-\d+$/, '')] ??= []).push(svc.pid);
  try {
    const put = async (jobId: string) => {
      const spec = exampleSpec('batch-once.yaml', jobId, (s) => (s.args = ['--mode', 'batch', '--records', '10', '--name', jobId]));
      const res = await fjc.request('PUT', `/jobs/${jobId}`, spec);
      if (res.status !== 201 && res.status !== 200) throw new Error(`PUT ${jobId}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    // Warm-up: the first submission uploads the jar, and the first runs on a Flink just started
    // cost it about five times the CPU of later ones (its JIT); then wait for a quiet machine, so
    // the idle row measures an idle system (a run of npm run bench once saw 1.98 cores busy here).
    for (let i = 0; i < 3; i++) {
      const warm = `bench-p1-warm-${i}-${uniqueSuffix()}`;
      await put(warm);
      await waitStarted(db, [warm]);
    }
    const quiet = await waitQuiet();
    progress(`quiet after ${quiet.waitedS.toFixed(0)} s (${quiet.busyCores.toFixed(2)} cores busy)`);

    progress(`idle: ${IDLE_SAMPLES} changes one at a time`);
    const idleIds: string[] = [];
    const idleCpu0 = readCpu(groups);
    for (let i = 0; i < IDLE_SAMPLES; i++) {
      const jobId = `bench-p1-idle-${i}-${uniqueSuffix()}`;
      idleIds.push(jobId);
      await put(jobId);
      await waitStarted(db, [jobId]);
      await sleep(200);
    }
    const idleCpu = cpuCost(idleCpu0, readCpu(groups), IDLE_SAMPLES);
    const idle = await fjcLatencies(db, idleIds);
    const idleLimit = await rawPath(fjc.world.db.url, 0, IDLE_SAMPLES);
    rows.push({ label: 'idle, one change at a time', limit: stats(idleLimit), decided: stats(idle.decided), queued: stats(idle.queued), started: stats(idle.started), cpu: idleCpu });
    progress(`idle: started p50 ${stats(idle.started).p50} ms, limit p50 ${stats(idleLimit).p50} ms`);

    for (const rate of RATES) {
      const count = rate * LOAD_SECONDS;
      progress(`${rate} changes/s: ${count} changes`);
      const ids = Array.from({ length: count }, (_, i) => `bench-p1-r${rate}-${i}-${uniqueSuffix()}`);
      // A refused PUT is counted and reported, not fatal: the row says how many changes it covers.
      let refused = 0;
      const cpu0 = readCpu(groups);
      await atRate(rate, count, (i) => put(ids[i]).catch((err: unknown) => {
        refused++;
        ids[i] = '';
        progress(`PUT refused: ${err instanceof Error ? err.message : String(err)}`);
      }));
      if (refused > 0) ids.splice(0, ids.length, ...ids.filter(Boolean));
      await waitStarted(db, ids);
      const cpu = cpuCost(cpu0, readCpu(groups), ids.length);
      const got = await fjcLatencies(db, ids);
      const limit = await rawPath(fjc.world.db.url, rate, count);
      rows.push({ label: `${rate} changes/s for ${LOAD_SECONDS} s${refused > 0 ? ` (${refused} PUTs refused)` : ''}`, limit: stats(limit), decided: stats(got.decided), queued: stats(got.queued), started: stats(got.started), cpu });
      progress(`${rate}/s: queued p99 ${stats(got.queued).p99} ms, started p99 ${stats(got.started).p99} ms, limit p99 ${stats(limit).p99} ms`);
      await sleep(2000);
    }
  } finally {
    await db.end();
    await cancelFlinkJobs(fjc).catch(() => undefined);
    await fjc.stop();
  }
  report(rows, replicas);
}

function report(rows: Row[], replicas: number): void {
  const f = (s: Stats) => `${Math.round(s.p50)} / ${Math.round(s.p99)} / ${Math.round(s.max)}`;
  const table = [
    '| load | changes | physical limit: commit + 2 kafkajs hops, ms p50 / p99 / max | accepted -> ActionRequested (reconciler), ms | accepted -> action queued in deployer, ms | accepted -> ActionStarted (Flink call), ms | p99 / limit p99 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.label} | ${r.started.n} | ${f(r.limit)} | ${f(r.decided)} | ${f(r.queued)} | ${f(r.started)} | ${(r.started.p99 / r.limit.p99).toFixed(1)} |`),
  ].join('\n');
  // Where the CPU went over the same span, per change: the whole machine, then by process.
  const cpu = [
    `| load | cores busy | CPU per change, ms: all | ${CPU_GROUPS.join(' | ')} |`,
    `| --- | ---: | ---: | ${CPU_GROUPS.map(() => '---:').join(' | ')} |`,
    ...rows.map((r) => `| ${r.label} | ${r.cpu.busyCores.toFixed(2)} | ${r.cpu.totalMs.toFixed(1)} | ${CPU_GROUPS.map((g) => (r.cpu.perItemMs[g] ?? NaN).toFixed(1)).join(' | ')} |`),
  ].join('\n');
  writeBench(replicas === 1 ? 'latency' : `latency-x${replicas}`, table, cpu, `${replicas} instance(s) of each service`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
