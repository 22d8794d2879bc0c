// The reconciler's Prometheus metrics. Job gauges are read from reconciler_jobs at scrape time
// (every instance reports the same truth: dashboards take max without(instance)); counters and
// the transition histogram count what this instance decided.
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { DB_POOL, METRICS_REGISTRY } from '@fjc/service-runtime';
import type { LifecycleState } from '@fjc/contracts';

/** One job as the gauges see it: a narrow read of reconciler_jobs, never the whole state. */
export interface JobRow {
  readonly job_id: string;
  readonly lifecycle: LifecycleState | null;
  readonly not_running_s: number | null;
  readonly transition: string | null;
  readonly transition_s: number | null;
  readonly namespace: string | null;
  readonly job_type: string | null;
  readonly cluster: string | null;
  readonly desired_state: string | null;
  readonly version: number | null;
  readonly stable_version: number | null;
  readonly restarts: number | null;
  readonly records_out: number | null;
  readonly checkpoint_age_s: number | null;
  readonly gate_ms: number | null;
  readonly alert: boolean | null;
}

const JOB_ROWS = `
  select job_id, lifecycle,
         extract(epoch from now() - not_running_since)::float8 as not_running_s,
         transition, extract(epoch from now() - transition_since)::float8 as transition_s,
         state->'desired'->'spec'->>'namespace' as namespace,
         state->'desired'->'spec'->>'job_type' as job_type,
         state->'desired'->'spec'->>'cluster' as cluster,
         state->'desired'->'spec'->>'state' as desired_state,
         (state->'desired'->>'version')::int as version,
         (state->>'lastStableVersion')::int as stable_version,
         (state->'health'->>'restarts')::float8 as restarts,
         (state->'health'->>'recordsOutPerSecond')::float8 as records_out,
         extract(epoch from now() - (state->'lastCheckpoint'->>'completedAt')::timestamptz)::float8 as checkpoint_age_s,
         (state->'desired'->'spec'->'stream_config'->'stability'->>'deadline')::float8 as gate_ms,
         (state->'announced'->>'alert')::boolean as alert
    from reconciler_jobs
   where lifecycle is distinct from 'DELETED' and state->'desired' is not null and state->>'desired' <> 'null'`;

@Injectable()
export class ReconcilerMetrics {
  readonly transitions: Histogram<'transition' | 'outcome'>;
  readonly decisions: Counter<'outcome'>;
  readonly rollbacks: Counter<'namespace' | 'trigger'>;
  readonly failures: Counter<'namespace' | 'kind'>;
  readonly slaMissed: Counter<'namespace' | 'objective'>;
  private readonly resyncDuration: Gauge;
  private readonly resyncJobs: Gauge;
  private readonly resyncCompletedAt: Gauge;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, @Inject(DB_POOL) pool: Pool) {
    this.transitions = new Histogram({
      name: 'fjc_transition_duration_seconds',
      help: 'How long lifecycle transitions took, from entering DEPLOYING/UPGRADING/ROLLING_BACK/SUSPENDING/DELETING to their end, by transition and outcome',
      labelNames: ['transition', 'outcome'],
      buckets: [1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600],
      registers: [registry],
    });
    this.decisions = new Counter({ name: 'fjc_reconciler_decisions_total', help: 'Reconciler decisions, by what they produced (action, events, wait or noop)', labelNames: ['outcome'], registers: [registry] });
    this.slaMissed = new Counter({ name: 'fjc_sla_missed_total', help: 'Service levels missed (SlaMissed recorded), by namespace and objective (deadline, within, availability)', labelNames: ['namespace', 'objective'], registers: [registry] });
    this.resyncDuration = new Gauge({ name: 'fjc_reconciler_resync_duration_seconds', help: 'How long the last complete resync pass of this instance took', registers: [registry] });
    this.resyncJobs = new Gauge({ name: 'fjc_reconciler_resync_jobs', help: 'Jobs the last complete resync pass of this instance looked at', registers: [registry] });
    this.resyncCompletedAt = new Gauge({ name: 'fjc_reconciler_resync_completed_timestamp_seconds', help: 'When the last complete resync pass of this instance ended (Unix time)', registers: [registry] });
    this.rollbacks = new Counter({ name: 'fjc_rollbacks_total', help: 'Rollbacks started, by namespace and trigger (automatic, manual, restart_budget)', labelNames: ['namespace', 'trigger'], registers: [registry] });
    this.failures = new Counter({
      name: 'fjc_job_failures_total',
      help: 'Job failures decided, by namespace and kind (flink_failed, stability_failed, action_failed, restart_budget)',
      labelNames: ['namespace', 'kind'],
      registers: [registry],
    });

    // Every per-job gauge collects through `fresh` (below): one read of the table per scrape.
    const gauge = (name: string, help: string, labelNames: string[]) => new Gauge({ name, help, labelNames, registers: [registry], collect: () => fresh() });
    const jobs = gauge('fjc_jobs', 'Jobs by lifecycle state, namespace and cluster', ['namespace', 'cluster', 'state']);
    const state = gauge('fjc_job_state', 'One series per job with its lifecycle state (value 1)', ['job_id', 'namespace', 'job_name', 'cluster', 'state']);
    const version = gauge('fjc_job_version', 'Desired spec version of each job', ['job_id']);
    const stable = gauge('fjc_job_stable_version', 'Last stable spec version of each job (absent when none)', ['job_id']);
    const restarts = gauge('fjc_job_restarts', 'Flink restarts of the running attempt, as last observed', ['job_id']);
    const recordsOut = gauge('fjc_job_records_out_per_second', 'Records per second the job\'s sources emit, as last observed', ['job_id']);
    const checkpointAge = gauge('fjc_job_checkpoint_age_seconds', 'Seconds since the job\'s newest completed checkpoint', ['job_id']);
    const notRunning = gauge('fjc_job_not_running_seconds', 'For a job meant to run: seconds in its current state when that is not RUNNING, else 0', ['job_id']);
    const gate = gauge('fjc_job_stability_gate_seconds', 'The job\'s stability deadline (stream_config.stability.deadline)', ['job_id']);
    const inProgress = gauge('fjc_job_transition_in_progress_seconds', 'Age of an unfinished transition (upgrade, rollback, stop, apply_to_running)', ['job_id', 'transition']);
    const alert = gauge('fjc_job_alert', 'Whether the job\'s alert flag is raised (1) or not (0)', ['job_id']);
    const perJob = [jobs, state, version, stable, restarts, recordsOut, checkpointAge, notRunning, gate, inProgress, alert];

    // One read for all of them per scrape: the registry collects every metric at once, so each
    // per-job gauge waits for the same read. PostgreSQL down: the gauges are empty (absent
    // series, never stale ones) and the scrape still answers.
    let reading: Promise<void> | null = null;
    const refresh = async (): Promise<void> => {
      let rows: JobRow[] = [];
      try {
        rows = (await pool.query<JobRow>(JOB_ROWS)).rows;
      } catch {
        rows = [];
      }
      for (const g of perJob) g.reset();
      for (const row of rows) applyRow(row);
    };
    const applyRow = (row: JobRow): void => {
      const id = { job_id: row.job_id };
      const namespace = row.namespace ?? 'default';
      const cluster = row.cluster ?? 'default';
      const lifecycle = row.lifecycle ?? 'CREATED';
      jobs.inc({ namespace, cluster, state: lifecycle });
      state.set({ ...id, namespace, job_name: row.job_id, cluster, state: lifecycle }, 1);
      if (row.version !== null) version.set(id, row.version);
      if (row.stable_version !== null) stable.set(id, row.stable_version);
      if (row.restarts !== null) restarts.set(id, row.restarts);
      if (row.records_out !== null) recordsOut.set(id, row.records_out);
      if (row.checkpoint_age_s !== null) checkpointAge.set(id, row.checkpoint_age_s);
      if (row.desired_state === 'running') notRunning.set(id, row.not_running_s ?? 0);
      if (row.gate_ms !== null && row.job_type === 'stream') gate.set(id, row.gate_ms / 1000);
      if (row.transition && row.transition_s !== null) inProgress.set({ ...id, transition: row.transition }, row.transition_s);
      alert.set(id, row.alert ? 1 : 0);
    };
    async function fresh(): Promise<void> {
      reading ??= refresh().finally(() => (reading = null));
      await reading;
    }
  }

  /** A complete resync pass: its duration and the jobs it looked at. */
  resyncCompleted(seconds: number, jobs: number): void {
    this.resyncDuration.set(seconds);
    this.resyncJobs.set(jobs);
    this.resyncCompletedAt.set(Date.now() / 1000);
  }
}
