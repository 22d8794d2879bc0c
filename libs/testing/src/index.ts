// Support for integration and scenario tests against the real local stack.
export * from './stack-env';
export * from './test-database';
export * from './eventually';
export * from './flink-ids';
export * from './service-process';
export * from './test-job';
export * from './oidc-provider';
export * from './stack-flink';
