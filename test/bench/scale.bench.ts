// Benchmark of P2, scale (not a test: no thresholds, never fails a build): N jobs managed by one
// (or, with BENCH_REPLICAS=2, two) instance(s) of each service, at each size of BENCH_SCALE_SIZES
// (default 1000,10000), each size in a fresh world. Half of the jobs are applied over HTTP (PUT,
// 8 concurrent clients), the other half as ApplySpec commands on the commands topic; then:
// - the reconciler's catch-up: until every job has its first decision (reconciler_jobs.lifecycle);
// - a full resync pass over all N jobs, read from the reconciler's own metric
//   fjc_reconciler_resync_duration_seconds (the last pass of any instance, after catch-up);
// - RSS of each service process (/proc/PID/status VmRSS, and the highest seen, VmHWM);
// - GET /api/v1/jobs page latency, pages of 100 at random cursors, without and with filters.
// The jobs are stream jobs applied with `state: suspended`: FJC manages them (spec stream,
// reconciler state, lifecycle SUSPENDED in the read model, resync looks at each) but none takes
// one of Flink's two slots.
// Run with `npm run bench`; prints a markdown table and writes it to docs/benchmarks.md.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { stackEnv, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';
import { cpuCost, type CpuCost, progress, readCpu, sleep, stats, writeBench } from './bench-support';

const SIZES = (process.env.BENCH_SCALE_SIZES ?? '1000,10000').split(',').filter(Boolean).map(Number);
const CLIENTS = Number(process.env.BENCH_HTTP_CLIENTS ?? 8);
const PAGE_SAMPLES = Number(process.env.BENCH_PAGE_SAMPLES ?? 200);
// Sizes (BENCH_SCALE_SIZES), HTTP clients, page samples, resync interval and a CPU profile folder are knobs.
const RESYNC_INTERVAL_MS = process.env.BENCH_RESYNC_INTERVAL_MS ?? '5000';
const SHARDS = 10;

interface Result {
  readonly jobs: number;
  readonly httpPerS: number;
  readonly kafkaPerS: number;
  readonly decidedPerS: number;
  readonly resyncS: number;
  readonly rssMb: Record<string, number>;
  readonly peakMb: Record<string, number>;
  readonly heapMb: Record<string, number>;
  readonly page: { p50: number; p99: number };
  readonly pageFiltered: { p50: number; p99: number };
  /** CPU per job from the first PUT until every job was decided (all services, PostgreSQL, Kafka). */
  readonly cpu: CpuCost;
  /** PostgreSQL transactions per job over the same span (server-wide). */
  readonly xactPerJob: number;
}

function spec(jobId: string, i: number): Record<string, unknown> {
  return exampleSpec('stream-stateless.yaml', jobId, (s) => {
    s.state = 'suspended';
    s.labels = { ...(s.labels as Record<string, string>), bench: 'p2', shard: String(i % SHARDS) };
  });
}

async function count(db: Client, sql: string): Promise<number> {
  return (await db.query<{ n: number }>(sql)).rows[0].n;
}

async function waitFor(db: Client, what: string, sql: string, target: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let n = 0;
  while (Date.now() < deadline) {
    n = await count(db, sql);
    if (n >= target) return Date.now();
    await sleep(100);
  }
  throw new Error(`${what}: ${n} of ${target} after ${timeoutMs / 1000} s`);
}

function rssOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(/(\d+) kB/.exec(status.split('\n').find((l) => l.startsWith(key)) ?? '')?.[1] ?? NaN);
  return { rss: kb('VmRSS:') / 1024, hwm: kb('VmHWM:') / 1024 };
}

/** The newest completed resync pass over at least `jobs` jobs, from any reconciler's metrics (seconds). */
async function resyncSeconds(fjc: FjcSystem, replicas: number, jobs: number, after: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (let i = 1; i <= replicas; i++) {
      const text = await (await fetch(`${fjc.service('reconciler', i).url}/metrics`)).text();
      const get = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
      const seconds = get('fjc_reconciler_resync_duration_seconds');
      const n = get('fjc_reconciler_resync_jobs');
      const at = get('fjc_reconciler_resync_completed_timestamp_seconds') * 1000;
      if (n >= jobs && at > after) return seconds;
    }
    await sleep(250);
  }
  throw new Error(`no resync pass over ${jobs} jobs within ${timeoutMs / 1000} s`);
}

async function applyHttp(fjc: FjcSystem, ids: string[], offset: number): Promise<number> {
  let next = 0;
  let dropped = 0;
  const t0 = Date.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < ids.length) {
      const i = next++;
      for (;;) {
        // A dropped connection (a kept-alive socket the server closed) is retried: PUT is idempotent.
        const res = await fjc.request('PUT', `/jobs/${ids[i]}`, spec(ids[i], offset + i)).catch((err: unknown) => ({ status: 0, body: String(err) }));
        if (res.status === 201 || res.status === 200) break;
        if (res.status === 0 && ++dropped <= 50) continue;
        if (res.status !== 503) throw new Error(`PUT ${ids[i]}: ${res.status} ${JSON.stringify(res.body)}`);
        await sleep(200);
      }
    }
  }));
  return ids.length / ((Date.now() - t0) / 1000);
}

async function applyKafka(fjc: FjcSystem, ids: string[], offset: number): Promise<number> {
  const kafka = new Kafka({ clientId: 'bench-scale', brokers: stackEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: `bench-scale-${uniqueSuffix()}` });
  const prefix = fjc.world.topicPrefix;
  const pending = new Set<string>();
  let rejected = 0;
  let settled!: () => void;
  const done = new Promise<void>((r) => (settled = r));
  await producer.connect();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: `${prefix}spec.command-results`, fromBeginning: true });
    let joined!: () => void;
    const ready = new Promise<void>((r) => (joined = r));
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.run({
      eachMessage: async ({ message }) => {
        const result = JSON.parse(String(message.value)) as { commandId: string; status: string };
        if (!pending.delete(result.commandId)) return;
        if (result.status === 'rejected') rejected++;
        if (pending.size === 0) settled();
      },
    });
    await ready;
    const commands = ids.map((jobId, i) => ({ commandId: randomUUID(), type: 'ApplySpec', jobId, spec: spec(jobId, offset + i) }));
    for (const c of commands) pending.add(c.commandId);
    const headers = { authorization: `Bearer ${fjc.world.adminToken}` };
    const t0 = Date.now();
    for (let i = 0; i < commands.length; i += 500) {
      await producer.send({
        topic: `${prefix}spec.commands`,
        acks: -1,
        messages: commands.slice(i, i + 500).map((c) => ({ key: c.jobId, value: JSON.stringify(c), headers })),
      });
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${pending.size} command results missing after 600 s`)), 600_000);
    });
    await Promise.race([done, timeout]).finally(() => clearTimeout(timer));
    if (rejected > 0) throw new Error(`${rejected} ApplySpec commands rejected`);
    return ids.length / ((Date.now() - t0) / 1000);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
  }
}

async function pageLatencies(fjc: FjcSystem, filters: Record<string, string>): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  while (samples.length < PAGE_SAMPLES) {
    // The first page, then up to 4 more through the cursor each page hands out.
    let query = new URLSearchParams({ limit: '100', ...filters });
    for (let k = 0; k <= samples.length % 5; k++) {
      const t0 = performance.now();
      const res = await fjc.request('GET', `/jobs?${query.toString()}`);
      samples.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`GET /jobs?${query.toString()}: ${res.status}`);
      const page = res.body as { jobs: unknown[]; next: string | null };
      if (page.jobs.length !== 100 && page.next !== null) throw new Error(`GET /jobs?${query.toString()}: ${page.jobs.length} jobs, not 100`);
      if (!page.next) break;
      query = new URLSearchParams({ limit: '100', ...filters, cursor: page.next });
    }
  }
  const { p50, p99 } = stats(samples);
  return { p50, p99 };
}

async function runSize(replicas: number, jobs: number): Promise<Result> {
  const fjc = await FjcSystem.start({
    replicas,
    schedulers: 1,
    env: {
      FJC_RESYNC_INTERVAL_MS: RESYNC_INTERVAL_MS,
      // BENCH_PROFILE_DIR: each service writes a CPU profile there when it stops (node --cpu-prof).
      ...(process.env.BENCH_PROFILE_DIR ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}${process.env.BENCH_NODE_OPTIONS ? ` ${process.env.BENCH_NODE_OPTIONS}` : ""}` } : {}),
    },
    ...(process.env.BENCH_LOG_DIR ? { logDir: process.env.BENCH_LOG_DIR } : {}),
  });
  const db = new Client({ connectionString: fjc.world.db.url });
  await db.connect();
  try {
    const suffix = uniqueSuffix();
    const ids = Array.from({ length: jobs }, (_, i) => `p2-${suffix}-${String(i).padStart(5, '0')}`);
    const half = Math.floor(jobs / 2);
    progress(`${jobs} jobs, ${replicas} instance(s): ${half} PUTs, ${CLIENTS} clients`);
    const groups: Record<string, number[]> = {};
    for (const [key, svc] of fjc.services) (groups[key.replace(/-\d+$/, '')] ??= []).push(svc.pid);
    const xacts = async () => count(db, `select sum(xact_commit + xact_rollback)::int as n from pg_stat_database`);
    const xact0 = await xacts();
    const cpu0 = readCpu(groups);
    const t0 = Date.now();
    const httpPerS = await applyHttp(fjc, ids.slice(0, half), 0);
    progress(`HTTP: ${httpPerS.toFixed(0)} specs/s; ${jobs - half} ApplySpec commands on Kafka`);
    const kafkaPerS = await applyKafka(fjc, ids.slice(half), half);
    progress(`Kafka: ${kafkaPerS.toFixed(0)} specs/s; waiting for the reconciler`);
    const decidedAt = await waitFor(db, 'reconciler decisions', `select count(*)::int as n from reconciler_jobs where lifecycle = 'SUSPENDED'`, jobs, 900_000);
    const decidedPerS = jobs / ((decidedAt - t0) / 1000);
    const cpu = cpuCost(cpu0, readCpu(groups), jobs);
    // Every database of the server (a quiet machine has only this one busy); includes the bench's own polling.
    const xactPerJob = ((await xacts()) - xact0) / jobs;
    progress(`CPU per job: ${cpu.totalMs.toFixed(1)} ms (${Object.entries(cpu.perItemMs).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}), ${cpu.busyCores.toFixed(2)} cores busy`);
    progress(`reconciler: every job decided, ${decidedPerS.toFixed(0)} jobs/s from the first PUT; waiting for a full resync`);
    const resyncS = await resyncSeconds(fjc, replicas, jobs, decidedAt, 300_000);
    progress(`resync of ${jobs}: ${resyncS.toFixed(2)} s`);
    const page = await pageLatencies(fjc, {});
    const pageFiltered = await pageLatencies(fjc, { state: 'SUSPENDED', selector: 'bench=p2,shard!=x' });
    progress(`GET /jobs: ${page.p50.toFixed(0)}/${page.p99.toFixed(0)} ms, filtered ${pageFiltered.p50.toFixed(0)}/${pageFiltered.p99.toFixed(0)} ms`);
    const rssMb: Record<string, number> = {};
    const peakMb: Record<string, number> = {};
    const heapMb: Record<string, number> = {};
    for (const [key, svc] of fjc.services) {
      const name = key.replace(/-\d+$/, '');
      const { rss, hwm } = rssOf(svc.pid);
      rssMb[name] = Math.max(rssMb[name] ?? 0, rss);
      peakMb[name] = Math.max(peakMb[name] ?? 0, hwm);
      // What of it is JavaScript objects still referenced (V8's used heap, from the service's own metrics).
      const metrics = await (await fetch(`${svc.url}/metrics`)).text();
      const used = Number(/^fjc_nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)$/m.exec(metrics)?.[1] ?? NaN) / 1024 / 1024;
      heapMb[name] = Math.max(heapMb[name] ?? 0, used);
    }
    return { jobs, httpPerS, kafkaPerS, decidedPerS, resyncS, rssMb, peakMb, heapMb, page, pageFiltered, cpu, xactPerJob };
  } finally {
    await db.end();
    await fjc.stop();
  }
}

async function main(): Promise<void> {
  const replicas = Number(process.env.BENCH_REPLICAS ?? 1);
  const results: Result[] = [];
  for (const jobs of SIZES) results.push(await runSize(replicas, jobs));
  report(results, replicas);
}

function report(results: Result[], replicas: number): void {
  const services = ['spec-service', 'reconciler', 'deployer', 'scheduler'];
  const first = results[0];
  const last = results[results.length - 1];
  const growth = results.length > 1;
  const n = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const rows: Array<[string, string, (r: Result) => number, number, string]> = [
    ['apply over HTTP (PUT, 8 clients), specs/s', '>= 500', (r) => r.httpPerS, 0, 'rate'],
    ['apply over Kafka (ApplySpec to its result), specs/s', '-', (r) => r.kafkaPerS, 0, 'rate'],
    ['reconciler: every job decided, jobs/s since the first PUT', '-', (r) => r.decidedPerS, 0, 'rate'],
    ['CPU bound: jobs/s that all cores allow at the CPU per job below', '-', (r) => r.cpu.boundPerS, 0, 'rate'],
    ['cores busy from the first PUT until every job was decided', '-', (r) => r.cpu.busyCores, 2, 'cost'],
    ['CPU per job, ms, whole machine', '-', (r) => r.cpu.totalMs, 1, 'cost'],
    ...['spec-service', 'reconciler', 'scheduler', 'deployer', 'PostgreSQL', 'Kafka', 'bench client'].map(
      (g): [string, string, (r: Result) => number, number, string] => [`CPU per job, ms: ${g}${g === 'PostgreSQL' ? ' (every backend)' : ''}`, '-', (r) => r.cpu.perItemMs[g] ?? NaN, 1, 'cost'],
    ),
    ['PostgreSQL transactions per job (server-wide, same span)', '-', (r) => r.xactPerJob, 1, 'cost'],
    ['full resync pass over all jobs, s', '< 2 (10,000)', (r) => r.resyncS, 2, 'cost'],
    ...services.flatMap((s): Array<[string, string, (r: Result) => number, number, string]> => [
      [`RSS of ${s}${replicas > 1 ? ' (largest instance)' : ''}, MB now / peak / V8 heap in use`, '< 256', (r) => r.rssMb[s], 0, 'mem'],
    ]),
    ['GET /jobs, page of 100, ms p50', '-', (r) => r.page.p50, 1, 'cost'],
    ['GET /jobs, page of 100, ms p99', '-', (r) => r.page.p99, 1, 'cost'],
    ['GET /jobs?state=SUSPENDED&selector=bench=p2,shard!=x, page of 100, ms p50', '-', (r) => r.pageFiltered.p50, 1, 'cost'],
    ['GET /jobs?state=SUSPENDED&selector=bench=p2,shard!=x, page of 100, ms p99', '-', (r) => r.pageFiltered.p99, 1, 'cost'],
  ];
  const header = `| measurement | goal | ${results.map((r) => `${n(r.jobs)} jobs`).join(' | ')} |${growth ? ` ${n(last.jobs)} / ${n(first.jobs)} |` : ''}`;
  const align = `| --- | ---: | ${results.map(() => '---:').join(' | ')} |${growth ? ' ---: |' : ''}`;
  const lines = rows.map(([label, goal, get, digits, kind]) => {
    const cells = results.map((r) => {
      if (kind !== 'mem') return n(get(r), digits);
      const s = label.slice('RSS of '.length).split(/[ ,]/)[0];
      return `${n(r.rssMb[s])} / ${n(r.peakMb[s])} / ${n(r.heapMb[s])}`;
    });
    return `| ${label} | ${goal} | ${cells.join(' | ')} |${growth ? ` ${(get(last) / get(first)).toFixed(2)} |` : ''}`;
  });
  const table = [header, align, ...lines].join('\n');
  writeBench(replicas === 1 ? 'scale' : `scale-x${replicas}`, table, '', `${replicas} instance(s) of each service (one scheduler)`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
