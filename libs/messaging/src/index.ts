// Kafka messaging for FJC services: a Nest transport with inbox dedupe, bounded retries, a
// dead-letter topic and offsets committed only after the handler's transaction.
export * from './kafka-transport';
export * from './message-context';
export * from './decode-message';
export * from './kafka-log';
export * from './dead-letter-reason';
export * from './kafka-security';
export * from './dependency-errors';
export * from './work-span';
