// The alert rules and Grafana dashboards of infra/observability against a real Prometheus (the
// Debian package, on loopback) that scrapes the four running services through a scenario: a
// stream job that becomes stable, an upgrade with a mistyped class that is rolled back, a cron
// batch that ticks, and a message that goes to the dead-letter topic. Then every dashboard
// panel query is run over the scenario's time range, as Grafana would, and must return data;
// every alert expression must parse, and every series it selects must have been scraped.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { parse as parseYaml } from 'yaml';
import { eventually, stackEnv, uniqueSuffix, type FjcServiceName } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';

const OBSERVABILITY = join(__dirname, '..', '..', 'infra', 'observability');
const SERVICES: FjcServiceName[] = ['spec-service', 'reconciler', 'scheduler', 'deployer'];

interface PromAnswer {
  status: 'success' | 'error';
  error?: string;
  data?: { result: unknown[] };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Every panel query of a dashboard (rows and nested panels included). */
function panelQueries(dashboard: { panels?: unknown[] }): Array<{ panel: string; expr: string }> {
  const out: Array<{ panel: string; expr: string }> = [];
  const walk = (panels: unknown[] = []) => {
    for (const p of panels as Array<{ title: string; targets?: Array<{ expr?: string }>; panels?: unknown[] }>) {
      for (const t of p.targets ?? []) if (t.expr) out.push({ panel: p.title, expr: t.expr });
      walk(p.panels);
    }
  };
  walk(dashboard.panels);
  return out;
}

/** The series selectors of a PromQL expression: `fjc_name` with its matchers, if any. */
function selectorsOf(expr: string): string[] {
  return [...new Set([...expr.matchAll(/\bfjc_[a-z0-9_]+(\{[^}]*\})?/g)].map((m) => m[0]))];
}

describe('alert rules and dashboards against a real Prometheus', () => {
  let fjc: FjcSystem;
  let prometheus: ChildProcess;
  let promUrl: string;
  let dir: string;
  let started: number;
  const streamJob = `prom-${uniqueSuffix()}`;
  const cronJob = `prom-cron-${uniqueSuffix()}`;

  const query = async (path: string, params: Record<string, string>): Promise<PromAnswer> => {
    const res = await fetch(`${promUrl}${path}?${new URLSearchParams(params).toString()}`);
    return (await res.json()) as PromAnswer;
  };

  const streamSpec = (entryClass?: string) =>
    exampleSpec('stream-savepoint.yaml', streamJob, (s) => {
      s.args = ['--mode', 'stream', '--rate', '20', '--keys', '4'];
      (s.deployment as Record<string, unknown>).checkpoint_interval = '2s';
      s.stream_config = { stability: { min_running_time: '5s', min_checkpoints: 1, max_restarts: 0, deadline: '60s' } };
      if (entryClass) s.entry_class = entryClass;
    });

  beforeAll(async () => {
    started = Date.now();
    fjc = await FjcSystem.start();
    dir = mkdtempSync(join(tmpdir(), 'fjc-prometheus-'));
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [join(OBSERVABILITY, 'rules', 'fjc-alerts.yml')],
      scrape_configs: SERVICES.map((name) => ({ job_name: `fjc-${name}`, static_configs: [{ targets: [new URL(fjc.service(name).url).host] }] })),
    };
    writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config));
    prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    await eventually('Prometheus ready', async () => (await fetch(`${promUrl}/-/ready`).catch(() => null))?.status, (s) => s === 200, { timeoutMs: 60_000 });

    // A stream job that becomes stable, then an upgrade with a mistyped class: rolled back.
    expect((await fjc.request('PUT', `/jobs/${streamJob}`, streamSpec())).status).toBe(201);
    await fjc.waitForState(streamJob, (j) => j.state === 'RUNNING' && j.lastStableVersion === 1, 'version 1 stable', 120_000);
    expect((await fjc.request('PUT', `/jobs/${streamJob}`, streamSpec('dev.fjc.testjob.TestJb'))).status).toBe(200);
    await fjc.waitForState(streamJob, (j) => j.state === 'ROLLED_BACK', 'ROLLED_BACK', 180_000);
    // A new job whose class does not exist: FAILED (nothing stable to roll back to).
    const broken = `prom-broken-${uniqueSuffix()}`;
    expect((await fjc.request('PUT', `/jobs/${broken}`, exampleSpec('stream-stateless.yaml', broken, (s) => (s.entry_class = 'dev.fjc.testjob.TestJb')))).status).toBe(201);
    await fjc.waitForState(broken, (j) => j.state === 'FAILED', 'FAILED', 120_000);
    // A per-minute cron batch: the scheduler ticks; its run emits 20 records at 5 a second, so it
    // cannot finish within a second of its tick and misses its service level (FjcSlaMissed's
    // series). The example's 1,000 unthrottled records finish in well under a second once the jar
    // is on the cluster, and a CI run saw the service level met.
    const cron = exampleSpec('batch-cron.yaml', cronJob, (s) => {
      s.args = ['--mode', 'batch', '--records', '20', '--rate', '5', '--name', cronJob];
      s.batch_config = { cron: '* * * * *', max_runs: 1, concurrency_policy: 'allow', sla: { within: '1s' } };
    });
    expect((await fjc.request('PUT', `/jobs/${cronJob}`, cron)).status).toBe(201);
    // A command without a commandId: a dead letter.
    const kafka = new Kafka({ clientId: 'prometheus-scenario', brokers: stackEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: `${fjc.world.topicPrefix}spec.commands`, messages: [{ key: 'x', value: JSON.stringify({ type: 'ApplySpec' }), headers: { authorization: `Bearer ${fjc.world.adminToken}` } }] });
    await producer.disconnect();
    // Wait until Prometheus holds what the scenario made: the tick and the dead letter.
    for (const selector of ['fjc_scheduler_tick_lateness_seconds_count', 'fjc_dead_letters_total', 'fjc_rollbacks_total', 'fjc_job_failures_total', 'fjc_sla_missed_total', 'fjc_job_state{state="FAILED"}']) {
      await eventually(`${selector} scraped`, () => query('/api/v1/query', { query: `sum(${selector}) > 0` }), (a) => (a.data?.result.length ?? 0) > 0, { timeoutMs: 150_000, intervalMs: 2_000 }).catch(async (err: unknown) => {
        // What the cron job went through, for a failure's message: its events and the services' lines about it.
        const events = await fjc.request('GET', `/jobs/${cronJob}/events`).then((r) => JSON.stringify(r.body)).catch((e: unknown) => String(e));
        const lines = (['scheduler', 'reconciler', 'deployer'] as const).flatMap((name) => fjc.service(name).logs(2000).split('\n').filter((l) => l.includes(cronJob)).slice(-15));
        throw new Error(`${err instanceof Error ? err.message : String(err)}\n${cronJob} events: ${events.slice(-4000)}\nservice lines:\n${lines.join('\n')}`);
      });
    }
  }, 600_000);

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await fjc?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every panel of every dashboard returns data over the scenario', async () => {
    const files = readdirSync(join(OBSERVABILITY, 'dashboards')).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['control-plane.json', 'fleet.json', 'job.json']);
    const failures: string[] = [];
    let checked = 0;
    for (const file of files) {
      const dashboard = JSON.parse(readFileSync(join(OBSERVABILITY, 'dashboards', file), 'utf8')) as { panels?: unknown[] };
      for (const { panel, expr } of panelQueries(dashboard)) {
        const promql = expr.replaceAll('$job_id', streamJob).replaceAll('$__rate_interval', '1m');
        const answer = await query('/api/v1/query_range', { query: promql, start: String(started / 1000), end: String(Date.now() / 1000), step: '2' });
        checked++;
        if (answer.status !== 'success') failures.push(`${file} "${panel}": ${answer.error}`);
        else if ((answer.data?.result.length ?? 0) === 0) failures.push(`${file} "${panel}": no data for ${promql}`);
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(failures).toEqual([]);
  });

  it('every alert expression parses, and every series it selects was scraped', async () => {
    const rules = parseYaml(readFileSync(join(OBSERVABILITY, 'rules', 'fjc-alerts.yml'), 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
    const alerts = rules.groups.flatMap((g) => g.rules);
    expect(alerts.length).toBeGreaterThanOrEqual(15);
    const window = `${Math.ceil((Date.now() - started) / 1000) + 60}s`;
    const failures: string[] = [];
    for (const { alert, expr } of alerts) {
      const parsed = await query('/api/v1/query', { query: expr });
      if (parsed.status !== 'success') failures.push(`${alert}: does not evaluate: ${parsed.error}`);
      // An alert that is quiet returns nothing; what must exist is each series it watches.
      for (const selector of selectorsOf(expr)) {
        const seen = await query('/api/v1/query', { query: `count_over_time(${selector}[${window}])` });
        if ((seen.data?.result.length ?? 0) === 0) failures.push(`${alert}: ${selector} was never scraped`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('Prometheus loaded the rules and saw every service up', async () => {
    const rules = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as { data: { groups: Array<{ rules: Array<{ health: string; name: string }> }> } };
    const loaded = rules.data.groups.flatMap((g) => g.rules);
    expect(loaded.length).toBeGreaterThanOrEqual(15);
    expect(loaded.filter((r) => r.health === 'err')).toEqual([]);
    const up = await query('/api/v1/query', { query: 'up' });
    expect((up.data?.result as Array<{ value: [number, string] }>).map((r) => r.value[1])).toEqual(['1', '1', '1', '1']);
  });
});
