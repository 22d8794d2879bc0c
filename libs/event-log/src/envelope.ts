// A stored event as it travels on Kafka: the public event envelope of DESIGN.md, keyed by
// jobId, with traceparent and event-type headers.
import type { NewEvent, StoredEvent } from './types';
import { traceIdOf } from './trace-context';

export interface WireEnvelope {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly jobId: string;
  readonly streamVersion: number;
  readonly occurredAt: string;
  readonly producer: string;
  readonly actor: StoredEvent['metadata']['actor'];
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly traceId?: string;
  readonly payload: unknown;
}

export function toEnvelope(e: StoredEvent): WireEnvelope {
  const traceId = traceIdOf(e.metadata.traceparent);
  return {
    id: e.eventId,
    type: e.type,
    schemaVersion: e.schemaVersion,
    jobId: e.jobId,
    streamVersion: e.streamVersion,
    occurredAt: e.occurredAt.toISOString(),
    producer: e.metadata.producer,
    actor: e.metadata.actor,
    correlationId: e.metadata.correlationId,
    causationId: e.metadata.causationId,
    ...(traceId ? { traceId } : {}),
    payload: e.payload,
  };
}

export interface WireMessage {
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
}

export function toWireMessage(e: StoredEvent): WireMessage {
  const headers: Record<string, string> = { 'event-type': e.type, 'event-id': e.eventId, 'log-position': e.position };
  if (e.metadata.traceparent) headers.traceparent = e.metadata.traceparent;
  return { key: e.jobId, value: JSON.stringify(toEnvelope(e)), headers };
}

/** The log row of an envelope someone built by hand (tests acting as another service): what
 *  that service would have appended before the relay published it. */
export function newEventOfEnvelope(e: {
  id: string;
  type: string;
  schemaVersion: number;
  jobId: string;
  occurredAt: string;
  producer: string;
  actor: StoredEvent['metadata']['actor'];
  correlationId: string;
  causationId: string | null;
  payload: unknown;
}): NewEvent {
  return {
    eventId: e.id,
    type: e.type,
    schemaVersion: e.schemaVersion,
    jobId: e.jobId,
    payload: e.payload,
    metadata: { producer: e.producer, actor: e.actor, correlationId: e.correlationId, causationId: e.causationId },
    occurredAt: new Date(e.occurredAt),
  };
}
