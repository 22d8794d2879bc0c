// Flink REST client for session clusters: submission, savepoints, cancellation, observation.
export * from './flink-rest-client';
export * from './errors';
export * from './schemas';
export * from './cluster-settings';
