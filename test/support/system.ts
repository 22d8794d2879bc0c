// The whole FJC system for scenario tests: the four services as real processes (two
// schedulers) in an isolated world on the local stack, and a user's view of it: the HTTP API,
// the Kafka topics and Flink itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { parse as parseYaml } from 'yaml';
import { eventually, isolatedWorld, ServiceProcess, stackFlinkClient, type FjcServiceName, type IsolatedWorld } from '@fjc/testing';

const ROOT = join(__dirname, '..', '..');

export interface JobView {
  jobId: string;
  version: number;
  state: string;
  flinkJobId: string | null;
  lastStableVersion: number | null;
  deployedVersion?: number | null;
  alert?: boolean;
  lastError: { code: string; message: string } | null;
  restarts?: number | null;
  candidate?: boolean;
  failedVersion?: number | null;
}

export interface EnvelopeView {
  id: string;
  type: string;
  jobId: string;
  occurredAt: string;
  producer: string;
  actor: { kind: string; id: string; issuer?: string; subject?: string; name?: string; tokenId?: string; via?: { kind: string; id: string; subject?: string } };
  correlationId: string;
  causationId: string | null;
  payload: Record<string, unknown> & { action?: { kind: string; flinkJobId?: string } };
}

export class FjcSystem {
  readonly flink = stackFlinkClient();
  readonly services = new Map<string, ServiceProcess>();

  private constructor(readonly world: IsolatedWorld) {}

  /** `replicas`: instances of every service; `schedulers`: of the scheduler (default: replicas);
   *  `logDir`: each service's whole output goes to `<logDir>/<name>-<instance>.log`. */
  static async start(options: { replicas?: number; schedulers?: number; env?: Record<string, string>; logDir?: string } = {}): Promise<FjcSystem> {
    const world = await isolatedWorld({ FJC_OBSERVE_INTERVAL_MS: '1000', FJC_RESYNC_INTERVAL_MS: '5000', ...options.env });
    const system = new FjcSystem(world);
    const replicas = options.replicas ?? 1;
    const instances = (name: FjcServiceName, n: number) => Array.from({ length: n }, (_, i) => [name, i + 1] as [FjcServiceName, number]);
    const names: Array<[FjcServiceName, number]> = [
      ...instances('spec-service', replicas),
      ...instances('reconciler', replicas),
      ...instances('deployer', replicas),
      ...instances('scheduler', options.schedulers ?? replicas),
    ];
    // One at a time: the first one creates the topics (isolatedWorld ran the migration step).
    for (const [name, instance] of names) {
      const svc = new ServiceProcess(name, world.env, instance, options.logDir === undefined ? undefined : join(options.logDir, `${name}-${instance}.log`));
      system.services.set(`${name}-${instance}`, svc);
      await svc.start();
    }
    return system;
  }

  service(name: FjcServiceName, instance = 1): ServiceProcess {
    const svc = this.services.get(`${name}-${instance}`);
    if (!svc) throw new Error(`no ${name} instance ${instance}`);
    return svc;
  }

  get api(): string {
    return `${this.service('spec-service').url}/api/v1`;
  }

  async stop(): Promise<void> {
    // Cancel whatever this world still runs in Flink: the slots are shared. The ids come from
    // the world's log, which answers even when a test has stopped the services.
    for (const id of await this.flinkJobIdsInLog().catch(() => [])) await this.flink.cancel(id).catch(() => undefined);
    await Promise.all([...this.services.values()].map((s) => s.stop()));
    await this.flink.close();
    await this.world.close();
  }

  /** Every job the list shows for these filters, page by page (GET /jobs answers one page at a time). */
  async allJobs(filters: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Array<JobView & { namespace: string }>> {
    const jobs: Array<JobView & { namespace: string }> = [];
    let cursor: string | null = null;
    do {
      const query: string = new URLSearchParams({ limit: '1000', ...filters, ...(cursor ? { cursor } : {}) }).toString();
      const res = await this.request('GET', `/jobs?${query}`, undefined, headers);
      if (res.status !== 200) throw new Error(`GET /jobs?${query}: ${res.status} ${JSON.stringify(res.body)}`);
      const page = res.body as { jobs: Array<JobView & { namespace: string }>; next: string | null };
      jobs.push(...page.jobs);
      cursor = page.next;
    } while (cursor !== null);
    return jobs;
  }

  /** Every Flink job id FJC requested in this world, from the audit trails of all jobs. */
  async flinkJobIds(jobId?: string): Promise<string[]> {
    const ids = jobId ? [jobId] : (await this.allJobs({ includeDeleted: 'true' })).map((j) => j.jobId);
    const out = new Set<string>();
    for (const id of ids) {
      for (const e of await this.events(id)) {
        if (e.type === 'ActionRequested' && e.payload.action?.flinkJobId && e.payload.action.kind !== 'Cancel' && e.payload.action.kind !== 'Stop') {
          out.add(e.payload.action.flinkJobId);
        }
      }
    }
    return [...out];
  }

  private async flinkJobIdsInLog(): Promise<string[]> {
    const db = new Pool({ connectionString: this.world.db.url, max: 1 });
    try {
      const res = await db.query<{ id: string }>(
        `select distinct payload->'action'->>'flinkJobId' as id from event_log where type = 'ActionRequested' and payload->'action'->>'kind' in ('Deploy', 'Upgrade')`,
      );
      return res.rows.map((r) => r.id);
    } finally {
      await db.end();
    }
  }

  /** Flink jobs of this FJC job that Flink reports RUNNING right now. */
  async runningInFlink(jobId: string): Promise<string[]> {
    const ours = new Set(await this.flinkJobIds(jobId));
    return (await this.flink.listJobs()).filter((j) => ours.has(j.jid) && j.state === 'RUNNING').map((j) => j.jid);
  }

  /** runningInFlink once at least one runs: Flink may still be placing the tasks, or restarting
   *  a stream job that found no free slot (the slots are shared with the cron scenario). */
  async runningInFlinkSoon(jobId: string, timeoutMs = 60_000): Promise<string[]> {
    return eventually(`${jobId} running in Flink`, () => this.runningInFlink(jobId), (ids) => ids.length > 0, { timeoutMs, intervalMs: 1_000 });
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.api}${path}`, {
      method,
      // As the world's admin (a token the spec-service registered at start), unless the test
      // passes its own Authorization header.
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), authorization: `Bearer ${this.world.adminToken}`, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  async job(jobId: string): Promise<JobView> {
    const res = await this.request('GET', `/jobs/${jobId}`);
    if (res.status !== 200) throw new Error(`GET /jobs/${jobId}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as JobView;
  }

  async events(jobId: string): Promise<EnvelopeView[]> {
    const res = await this.request('GET', `/jobs/${jobId}/events`);
    if (res.status !== 200) throw new Error(`GET /jobs/${jobId}/events: ${res.status}`);
    const body = res.body as EnvelopeView[] | { events: EnvelopeView[] };
    return Array.isArray(body) ? body : body.events;
  }

  waitForState(jobId: string, accept: (job: JobView) => boolean, what: string, timeoutMs = 90_000): Promise<JobView> {
    return eventually(`${jobId}: ${what}`, () => this.job(jobId), accept, { timeoutMs, intervalMs: 500 }).catch((err: unknown) => {
      // The decisions last: a truncated report keeps its end.
      throw new Error(`${String(err)}\n--- spec-service log ---\n${this.service('spec-service').logs(15, /"msg":"request completed"/)}\n--- deployer log ---\n${this.service('deployer').logs(30)}\n--- reconciler log ---\n${this.service('reconciler').logs(30)}\n--- ${what}: ${String(err).slice(0, 2000)}`);
    });
  }
}

/** An example spec from examples/specs with a fresh job id and the given changes. */
export function exampleSpec(file: string, jobId: string, changes: (spec: Record<string, unknown>) => void = () => undefined): Record<string, unknown> {
  const spec = parseYaml(readFileSync(join(ROOT, 'examples', 'specs', file), 'utf8')) as Record<string, unknown>;
  spec.job_id = jobId;
  changes(spec);
  return spec;
}
