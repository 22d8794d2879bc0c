// The platform every FJC service runs on: PostgreSQL, Kafka, the event writer and the relay.
export * from './platform-config';
export * from './tokens';
export * from './event-writer';
export * from './transport-factory';
export * from './platform.module';
