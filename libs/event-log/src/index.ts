// The event log: append-only PostgreSQL storage of every decision, a reader that never skips
// a late commit, a hash chain with its verifier, the relay to Kafka, and replay/republish.
export * from './types';
export * from './sql';
export * from './transaction';
export * from './append';
export * from './read';
export * from './verify';
export * from './envelope';
export * from './trace-context';
export * from './relay';
export * from './replay';
export * from './migrate';
export * from './roles';
export * from './pg-pool';
export * from './pg-config';
export * from './pg-connect-errors';
export { EVENT_LOG_MIGRATIONS, APP_ROLE } from './migrations';
export * from './rebuild-entry';
export * from './service-presence';
export * from './audit';
