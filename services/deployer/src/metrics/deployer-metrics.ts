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
  readonly flinkCalls: Histogram<'cluster' | 'call' | 'outcome'>;
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
      help: 'Duration of Flink REST calls, by cluster, call and outcome',
      labelNames: ['cluster', 'call', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
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
