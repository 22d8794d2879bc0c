// DI tokens of the platform's ports.
export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');
export const DB_POOL = Symbol('DB_POOL');
export const KAFKA = Symbol('KAFKA');
export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');
export const TOPICS = Symbol('TOPICS');
export const CLOCK = Symbol('CLOCK');

/** Injected wherever "now" matters, so tests move time instead of sleeping. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
