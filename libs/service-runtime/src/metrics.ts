// One Prometheus registry per process, labelled with the service name, with Node's
// default process metrics. Services add their own metrics to this registry.
import { Registry, collectDefaultMetrics } from 'prom-client';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

export function createMetricsRegistry(serviceName: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: serviceName });
  collectDefaultMetrics({ register: registry, prefix: 'fjc_' });
  return registry;
}
