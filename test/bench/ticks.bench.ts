// Benchmark of P7, tick lateness (not a test: no thresholds, never fails a build): 1,000 batch
// jobs with the cron "* * * * *" (every minute, at second 0) all fire at the same minute; for each
// ScheduleTick of that minute, how late after its scheduled time it was written (its occurredAt,
// the scheduler's clock at the append) and how late it was visible in the log (committed: a
// watcher in this process reads new ScheduleTick rows every 10 ms).
// The runs the ticks would start are not part of it and must not swamp Flink's 2 slots: the
// reconciler and the deployer are stopped before the jobs are applied, so the ticks are written,
// relayed to Kafka and wait there; nothing is deployed (the world is dropped at the end). The
// spec-service and the scheduler, who make the ticks, run as usual.
// BENCH_CPU_PROF_DIR=dir: each service writes a CPU profile into dir when it stops.
// Run with `npm run bench`; prints a markdown table and writes it to docs/benchmarks.md.
import { Client } from 'pg';
import { uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';
import { progress, sleep, stats, waitFor, writeBench, type Stats } from './bench-support';

const SCHEDULES = Number(process.env.BENCH_P7_SCHEDULES ?? 1000);
const CLIENTS = 8;
/** Set to a folder to have every service write a CPU profile there when it stops (node --cpu-prof). */
const PROFILE_DIR = process.env.BENCH_CPU_PROF_DIR;

async function main(): Promise<void> {
  const fjc = await FjcSystem.start({ schedulers: 1, ...(PROFILE_DIR ? { env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${PROFILE_DIR}` } } : {}) });
  const db = new Client({ connectionString: fjc.world.db.url });
  await db.connect();
  const written: number[] = [];
  const visible: number[] = [];
  let minute = '';
  try {
    await fjc.service('reconciler').stop();
    await fjc.service('deployer').stop();
    const suffix = uniqueSuffix();
    const ids = Array.from({ length: SCHEDULES }, (_, i) => `bench-p7-${i}-${suffix}`);
    progress(`applying ${SCHEDULES} batch jobs with cron "* * * * *" (${CLIENTS} clients)`);
    const t0 = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < ids.length) {
          const jobId = ids[next++];
          const spec = exampleSpec('batch-cron.yaml', jobId, (s) => Object.assign(s.batch_config as Record<string, unknown>, { cron: '* * * * *', timezone: 'UTC' }));
          const res = await fjc.request('PUT', `/jobs/${jobId}`, spec);
          if (res.status !== 201) throw new Error(`PUT ${jobId}: ${res.status} ${JSON.stringify(res.body)}`);
        }
      }),
    );
    progress(`applied in ${((Date.now() - t0) / 1000).toFixed(1)} s; waiting for the scheduler to hold every schedule`);
    // The minute all of them fire at: the first whole minute at which every schedule is active and due.
    const due = await waitFor('every schedule active', async () => {
      const res = await db.query<{ n: number; latest: Date | null }>(
        `select count(*)::int as n, max(next_fire_at) as latest from scheduler_schedules where state = 'active' and job_id like $1`,
        [`bench-p7-%-${suffix}`],
      );
      return res.rows[0].n === SCHEDULES && res.rows[0].latest !== null ? res.rows[0].latest : undefined;
    }, 180_000, 500);
    // Each fires every minute: the first whole minute at least 3 s away, and not before the latest next time.
    const fire = new Date(Math.max(due.getTime(), Math.ceil((Date.now() + 3000) / 60_000) * 60_000));
    minute = fire.toISOString();
    const watchFrom = (await db.query<{ p: string }>(`select coalesce(max(position), 0)::text as p from event_log`)).rows[0].p;
    progress(`all ${SCHEDULES} schedules active; measuring the ticks of ${minute} (in ${Math.round((fire.getTime() - Date.now()) / 1000)} s)`);
    await sleep(Math.max(0, fire.getTime() - Date.now() - 2000));
    let after = watchFrom;
    const deadline = fire.getTime() + 120_000;
    while (visible.length < SCHEDULES && Date.now() < deadline) {
      const res = await db.query<{ position: string; scheduled: string; occurred_at: Date }>(
        `select position::text, payload->>'scheduledTime' as scheduled, occurred_at from event_log
          where type = 'ScheduleTick' and position > $1 order by position`,
        [after],
      );
      const seen = Date.now();
      for (const r of res.rows) {
        after = r.position;
        const scheduled = Date.parse(r.scheduled);
        if (scheduled !== fire.getTime()) continue;
        written.push(r.occurred_at.getTime() - scheduled);
        visible.push(seen - scheduled);
      }
      await sleep(10);
    }
    progress(`${visible.length} ticks of ${minute} seen`);
  } finally {
    await db.end();
    await fjc.stop();
  }
  report(stats(written), stats(visible), minute);
}

function report(written: Stats, visible: Stats, minute: string): void {
  const f = (s: Stats) => `${Math.round(s.p50)} / ${Math.round(s.p99)} / ${Math.round(s.max)}`;
  const table = [
    '| measurement | ticks | ms after the scheduled time, p50 / p99 / max |',
    '| --- | ---: | ---: |',
    `| ScheduleTick written (its occurredAt) | ${written.n} | ${f(written)} |`,
    `| ScheduleTick visible in the log (committed, seen by a 10 ms watcher) | ${visible.n} | ${f(visible)} |`,
  ].join('\n');
  writeBench('ticks', table, `${SCHEDULES} schedules, all firing at ${minute.slice(11, 19)} UTC; ${written.n} of their ticks seen within 2 minutes.`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
