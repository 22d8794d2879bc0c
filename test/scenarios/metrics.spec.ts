// The metrics an operator reads, scraped from the four running services while a stream job is
// applied and runs: they say what Flink and the log say, and docs/metrics.md names exactly the
// metrics the services register (a metric added without its doc line, or a doc line for one
// that is gone, fails here).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, uniqueSuffix, type FjcServiceName } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';

const SERVICES: FjcServiceName[] = ['spec-service', 'reconciler', 'scheduler', 'deployer'];

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** The exposition text's samples and the names of every metric family it declares. */
function parse(text: string): { families: Set<string>; samples: Sample[] } {
  const families = new Set<string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) /.exec(line);
    if (type) families.add(type[1]);
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) continue;
    const labels: Record<string, string> = {};
    for (const m of (sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]] = m[2];
    samples.push({ name: sample[1], labels, value: Number(sample[3]) });
  }
  return { families, samples };
}

/** Metric names docs/metrics.md lists in its tables. */
function documented(): Set<string> {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'metrics.md'), 'utf8');
  return new Set([...doc.matchAll(/^\| `(fjc_[a-z0-9_]+)` \|/gm)].map((m) => m[1]));
}

describe('metrics of the running services', () => {
  let fjc: FjcSystem;
  const jobId = `metrics-${uniqueSuffix()}`;

  const scrape = async (service: FjcServiceName) => parse(await (await fetch(`${fjc.service(service).url}/metrics`)).text());
  const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

  beforeAll(async () => {
    fjc = await FjcSystem.start();
    const put = await fjc.request('PUT', `/jobs/${jobId}`, exampleSpec('stream-stateless.yaml', jobId));
    expect(put.status).toBe(201);
    await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== null, 'RUNNING', 90_000);
  });
  afterAll(() => fjc?.stop());

  it('docs/metrics.md names every metric the services register, and only those', async () => {
    const registered = new Set<string>();
    for (const service of SERVICES) for (const name of (await scrape(service)).families) registered.add(name);
    const own = [...registered].filter((n) => !/^fjc_(process|nodejs)_/.test(n));
    expect(own.length).toBeGreaterThan(40);
    const doc = documented();
    expect({ undocumented: own.filter((n) => !doc.has(n)).sort(), notRegistered: [...doc].filter((n) => !registered.has(n)).sort() }).toEqual({ undocumented: [], notRegistered: [] });
  });

  it('the reconciler counts the job as RUNNING, times its start and counts its decisions', async () => {
    const { samples } = await eventually('the job RUNNING in the metrics', () => scrape('reconciler'), (m) => value(m.samples, 'fjc_job_state', { job_id: jobId, state: 'RUNNING' }) === 1);
    expect(value(samples, 'fjc_jobs', { namespace: 'default', cluster: 'default', state: 'RUNNING' })).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'fjc_job_not_running_seconds', { job_id: jobId })).toBe(0);
    expect(value(samples, 'fjc_job_version', { job_id: jobId })).toBe(1);
    expect(value(samples, 'fjc_transition_duration_seconds_count', { transition: 'apply_to_running', outcome: 'succeeded' })).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'fjc_reconciler_decisions_total', { outcome: 'action' })).toBeGreaterThanOrEqual(1);
  });

  it('the deployer reports the Flink cluster as Flink does, and its calls by route', async () => {
    const overview = await fjc.flink.overview();
    const { samples } = await eventually('cluster gauges', () => scrape('deployer'), (m) => value(m.samples, 'fjc_flink_cluster_up', { cluster: 'default' }) === 1);
    expect(value(samples, 'fjc_flink_cluster_slots', { cluster: 'default', kind: 'total' })).toBe(overview['slots-total']);
    expect(value(samples, 'fjc_flink_cluster_taskmanagers', { cluster: 'default' })).toBe(overview.taskmanagers);
    expect(value(samples, 'fjc_flink_cluster_info', { cluster: 'default', version: overview['flink-version'] })).toBe(1);
    expect(value(samples, 'fjc_deployer_flink_call_duration_seconds_count', { cluster: 'default', route: 'POST /jars/:jarid/run', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'fjc_deployer_actions_total', { kind: 'Deploy', outcome: 'succeeded' })).toBeGreaterThanOrEqual(1);
    const ready = (await (await fetch(`${fjc.service('deployer').url}/health/ready`)).json()) as { checks: Record<string, { ok: boolean; fatal?: boolean }> };
    expect(ready.checks.flink).toEqual({ ok: true, fatal: false });
    expect(ready.checks.relay).toEqual({ ok: true });
    // The startup probe of every service answers 200 once it started.
    for (const service of SERVICES) {
      const started = await fetch(`${fjc.service(service).url}/health/started`);
      expect([service, started.status, ((await started.json()) as { status: string }).status]).toEqual([service, 200, 'ok']);
    }
  });

  it('the relay catches up with the log head, and consumer lag is reported per group and topic', async () => {
    const { samples } = await eventually('relay caught up', () => scrape('spec-service'), (m) => value(m.samples, 'fjc_relay_lag_events') === 0);
    expect(value(samples, 'fjc_event_log_head_position')).toBeGreaterThan(0);
    expect(value(samples, 'fjc_event_append_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'fjc_http_requests_total', { method: 'PUT', route: '/api/v1/jobs/:jobId', status: '201' })).toBe(1);
    const reconciler = await eventually('reconciler lag drained', () => scrape('reconciler'), (m) => m.samples.some((s) => s.name === 'fjc_consumer_lag' && s.labels.topic.endsWith('spec.events') && s.value === 0));
    expect(reconciler.samples.filter((s) => s.name === 'fjc_consumer_lag').map((s) => s.labels.group)).toEqual(expect.arrayContaining([expect.stringMatching(/reconciler$/)]));
  });
});
