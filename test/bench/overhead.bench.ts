// Benchmark of P6, FJC's overhead around one Flink submission with the jar already cached (not a
// test: no thresholds, never fails a build). FJC: from a spec accepted (its SpecUpdated) to the
// deployer's ActionSucceeded, which it records once Flink accepted the run (a Deploy with the jar
// in its cache makes exactly one REST call, POST /jars/:jarid/run). Bare: that same call made
// directly with undici against the same Flink, the same jar id and the same request body (built
// from the spec the deployer got, by the same flinkSubmission of the contracts), under a fresh job
// id. Samples alternate between the two, each a bounded batch run of the test job (10 records)
// that is left to finish before the next, so both see an idle cluster with its 2 slots free.
// Run with `npm run bench`; prints a markdown table and writes it to docs/benchmarks.md.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { request } from 'undici';
import { flinkSubmission, type JobSpec } from '@fjc/contracts';
import { stackEnv, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';
import { progress, sleep, stats, waitFor, writeBench, type Stats } from './bench-support';

const SAMPLES = Number(process.env.BENCH_P6_SAMPLES ?? 10);

interface FjcSample {
  readonly total: number;
  readonly call: number;
  readonly spec: JobSpec;
}

async function main(): Promise<void> {
  const fjc = await FjcSystem.start({ schedulers: 1 });
  const db = new Client({ connectionString: fjc.world.db.url });
  await db.connect();
  const flink = stackEnv('FLINK_REST_URL');
  const fjcTotals: number[] = [];
  const fjcCalls: number[] = [];
  const bare: number[] = [];
  try {
    // Kept on the cluster after a run (the example deletes it), so every Deploy finds it cached.
    const spec = (jobId: string) =>
      exampleSpec('batch-once.yaml', jobId, (s) => {
        s.args = ['--mode', 'batch', '--records', '10', '--name', 'bench-p6'];
        (s.batch_config as Record<string, unknown>).cleanup_on_completion = false;
      });
    const viaFjc = async (): Promise<FjcSample> => {
      const jobId = `bench-p6-${uniqueSuffix()}`;
      const put = await fjc.request('PUT', `/jobs/${jobId}`, spec(jobId));
      if (put.status !== 201) throw new Error(`PUT ${jobId}: ${put.status} ${JSON.stringify(put.body)}`);
      const row = await waitFor(`${jobId} ActionSucceeded`, async () => {
        const res = await db.query<{ total: number | null; call: number | null; spec: JobSpec }>(
          `select extract(epoch from (select min(occurred_at) from event_log where job_id = $1 and type = 'ActionSucceeded')
                                   - (select min(occurred_at) from event_log where job_id = $1 and type = 'SpecUpdated')) * 1000 as total,
                  extract(epoch from (select min(occurred_at) from event_log where job_id = $1 and type = 'ActionSucceeded')
                                   - (select min(occurred_at) from event_log where job_id = $1 and type = 'ActionStarted')) * 1000 as call,
                  (select payload->'action'->'spec' from event_log where job_id = $1 and type = 'ActionRequested' order by position limit 1) as spec`,
          [jobId],
        );
        const r = res.rows[0];
        return r?.total === null || r?.total === undefined ? undefined : { total: Number(r.total), call: Number(r.call), spec: r.spec };
      });
      await fjc.waitForState(jobId, (j) => j.state === 'FINISHED', 'FINISHED', 120_000);
      return row;
    };
    const jarId = async (): Promise<string> => {
      const res = await db.query<{ jar_id: string }>(`select jar_id from deployer_jars limit 1`);
      if (res.rows.length !== 1) throw new Error('the deployer has no cached jar');
      return res.rows[0].jar_id;
    };
    const direct = async (jar: string, jobSpec: JobSpec): Promise<number> => {
      const sub = flinkSubmission(jobSpec);
      const jobId = randomBytes(16).toString('hex');
      const body = JSON.stringify({
        jobId,
        entryClass: sub.entryClass,
        programArgsList: sub.programArgs.map(String),
        parallelism: sub.parallelism,
        allowNonRestoredState: sub.allowNonRestoredState,
        flinkConfiguration: sub.flinkConfiguration,
      });
      const t0 = performance.now();
      const res = await request(`${flink}/jars/${encodeURIComponent(jar)}/run`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await res.body.text();
      const ms = performance.now() - t0;
      if (res.statusCode !== 200) throw new Error(`POST /jars/${jar}/run: ${res.statusCode} ${text}`);
      await waitFor(`bare run ${jobId} finished`, async () => {
        const got = await request(`${flink}/jobs/${jobId}`);
        const state = ((await got.body.json()) as { state?: string }).state;
        return state === 'FINISHED' ? true : state === 'FAILED' || state === 'CANCELED' ? Promise.reject(new Error(`bare run ${state}`)) : undefined;
      }, 120_000, 200);
      return ms;
    };

    progress('warm-up: the first Deploy uploads the jar');
    const warm = await viaFjc();
    const jar = await jarId();
    await direct(jar, warm.spec);
    await sleep(1000);
    for (let i = 0; i < SAMPLES; i++) {
      const f = await viaFjc();
      fjcTotals.push(f.total);
      fjcCalls.push(f.call);
      await sleep(500);
      bare.push(await direct(jar, f.spec));
      progress(`sample ${i + 1}/${SAMPLES}: FJC ${Math.round(f.total)} ms (deployer around the call ${Math.round(f.call)} ms), bare run ${Math.round(bare.at(-1) ?? 0)} ms`);
      await sleep(500);
    }
  } finally {
    await db.end();
    await fjc.stop();
  }
  report(stats(bare), stats(fjcCalls), stats(fjcTotals));
}

function report(bare: Stats, call: Stats, total: Stats): void {
  const f = (s: Stats) => `${Math.round(s.p50)} / ${Math.round(s.p99)} / ${Math.round(s.max)}`;
  const over = (a: number, b: number) => `${Math.round(((a - b) / b) * 100)} %`;
  const table = [
    '| measurement | samples | ms p50 / p99 / max | over the bare call, p50 / p99 |',
    '| --- | ---: | ---: | ---: |',
    `| bare: POST /jars/:jarid/run with undici, same jar and body (physical limit) | ${bare.n} | ${f(bare)} | |`,
    `| deployer: ActionStarted -> ActionSucceeded (its transaction, the call, its record) | ${call.n} | ${f(call)} | ${over(call.p50, bare.p50)} / ${over(call.p99, bare.p99)} |`,
    `| FJC: spec accepted (SpecUpdated) -> ActionSucceeded | ${total.n} | ${f(total)} | ${over(total.p50, bare.p50)} / ${over(total.p99, bare.p99)} |`,
  ].join('\n');
  writeBench('overhead', table);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
