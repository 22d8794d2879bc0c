// Service runtime: what every FJC service process shares at its edge (structured logging,
// health and readiness probes, Prometheus metrics, HTTP bootstrap and ordered shutdown).
export * from './service-identity';
export * from './readiness';
export { METRICS_REGISTRY, createMetricsRegistry } from './metrics';
export * from './observability.module';
export * from './bootstrap';
export * from './platform';
export * from './polling-loop';
export * from './tracing';
// The span of a unit of work and its log fields (one definition, in the messaging lib).
export { inSpan, LOG_FIELDS, type LogFields } from '@fjc/messaging';
export * from './artifact-policy-file';
