// The service's Prometheus registry token. @fjc/service-runtime provides it through
// ObservabilityModule but does not export the token from its index yet, so it is taken from
// the built module that defines it (the same module instance the runtime itself loads).
// TODO(service-runtime): export METRICS_REGISTRY from the index and import it from there.
export { METRICS_REGISTRY } from '@fjc/service-runtime';
