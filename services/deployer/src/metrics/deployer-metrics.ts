// The deployer's Prometheus metrics, on the process registry of ObservabilityModule.
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@fjc/service-runtime';

@Injectable()
export class DeployerMetrics {
  /** Finished actions by kind and outcome (succeeded, or the failure code). */
  readonly actions: Counter<'kind' | 'outcome' | 'code'>;
  /** Attempts started (a resumed action counts again). */
  readonly attempts: Counter<'kind'>;
  readonly flinkCalls: Histogram<'cluster' | 'route' | 'outcome'>;
  readonly flinkCallErrors: Counter<'cluster' | 'route' | 'code'>;
  /** From an action's request to its result, by kind (TriggerSavepoint: how long a savepoint takes). */
  readonly actionDuration: Histogram<'kind' | 'outcome'>;
  /** Each cluster's GET /overview, polled by ClusterHealth. */
  readonly clusterUp: Gauge<'cluster'>;
  readonly clusterSlots: Gauge<'cluster' | 'kind'>;
  readonly clusterTaskManagers: Gauge<'cluster'>;
  readonly clusterInfo: Gauge<'cluster' | 'version'>;
  readonly observations: Counter<'state'>;
  /** The circuit breaker of each cluster: 0 closed, 1 half-open, 2 open. */
  readonly breakerState: Gauge<'cluster'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.actions = new Counter({
      name: 'fjc_deployer_actions_total',
      help: 'Actions carried out, by kind and outcome',
      labelNames: ['kind', 'outcome', 'code'],
      registers: [registry],
    });
    this.attempts = new Counter({
      name: 'fjc_deployer_action_attempts_total',
      help: 'Action attempts started (ActionStarted), by kind',
      labelNames: ['kind'],
      registers: [registry],
    });
    this.flinkCalls = new Histogram({
      name: 'fjc_deployer_flink_call_duration_seconds',
      help: 'Duration of Flink REST calls, by cluster, route (method and path template) and outcome',
      labelNames: ['cluster', 'route', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.flinkCallErrors = new Counter({
      name: 'fjc_deployer_flink_call_errors_total',
      help: 'Flink REST calls that failed, by cluster, route and error code',
      labelNames: ['cluster', 'route', 'code'],
      registers: [registry],
    });
    this.actionDuration = new Histogram({
      name: 'fjc_deployer_action_duration_seconds',
      help: 'Time from an action request to its result, by kind and outcome',
      labelNames: ['kind', 'outcome'],
      buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers: [registry],
    });
    this.clusterUp = new Gauge({ name: 'fjc_flink_cluster_up', help: 'Whether the cluster answered its last GET /overview (1) or not (0)', labelNames: ['cluster'], registers: [registry] });
    this.clusterSlots = new Gauge({ name: 'fjc_flink_cluster_slots', help: 'Task slots of the cluster, kind total or free', labelNames: ['cluster', 'kind'], registers: [registry] });
    this.clusterTaskManagers = new Gauge({ name: 'fjc_flink_cluster_taskmanagers', help: 'TaskManagers registered with the cluster', labelNames: ['cluster'], registers: [registry] });
    this.clusterInfo = new Gauge({ name: 'fjc_flink_cluster_info', help: 'The Flink version a cluster runs (value 1)', labelNames: ['cluster', 'version'], registers: [registry] });
    this.observations = new Counter({
      name: 'fjc_deployer_job_observations_total',
      help: 'JobObserved events appended, by Flink state',
      labelNames: ['state'],
      registers: [registry],
    });
    this.breakerState = new Gauge({
      name: 'fjc_deployer_flink_breaker_state',
      help: 'Circuit breaker of each Flink cluster: 0 closed, 1 half-open (trial call), 2 open (no calls)',
      labelNames: ['cluster'],
      registers: [registry],
    });
  }
}
