// The process's Prometheus registry token. @fjc/service-runtime provides the registry through
// ObservabilityModule but does not export the token from its index yet; this deep import
// resolves to the same module instance at run time, so the token is the same symbol.
// TODO(service-runtime): export METRICS_REGISTRY from the index and import it from there.
export { METRICS_REGISTRY } from '@fjc/service-runtime';
