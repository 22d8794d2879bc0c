// The event envelope of DESIGN.md, the same on every topic and in the log. `eventSchema`
// builds the envelope of one event type and version around its payload schema. Messages are
// strict: an unknown field is a producer bug or belongs to a newer schemaVersion, so it is
// refused rather than silently dropped.
import { z } from 'zod';
import { ActorSchema, JobIdSchema, UtcTimestampSchema, UuidSchema } from './common';

export const ENVELOPE_HEADERS = { traceparent: 'traceparent', eventType: 'event-type' } as const;

const envelopeFields = {
  id: UuidSchema,
  schemaVersion: z.int().min(1),
  jobId: JobIdSchema,
  /** Position of the event in the stream it was appended to (1, 2, ...). */
  streamVersion: z.int().min(1),
  occurredAt: UtcTimestampSchema,
  /** The service (or tool) that wrote the event, e.g. "spec-service". */
  producer: z.string().min(1),
  actor: ActorSchema,
  /** Shared by every event that follows from one request. */
  correlationId: z.string().min(1),
  /** The id of the message that directly caused this one; null for the first of a chain. */
  causationId: z.string().min(1).nullable(),
  /** The OpenTelemetry trace the event was written in (32 hex digits); absent in events older than tracing. */
  traceId: z.string().regex(/^[\da-f]{32}$/).optional(),
};

/** Any envelope, payload not yet checked: what a consumer reads first, before upcasting. */
export const EventEnvelopeSchema = z.strictObject({ ...envelopeFields, type: z.string().min(1), payload: z.unknown() });
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;

export function eventSchema<T extends string, V extends number, P extends z.ZodType>(type: T, schemaVersion: V, payload: P) {
  return z.strictObject({ ...envelopeFields, type: z.literal(type), schemaVersion: z.literal(schemaVersion), payload });
}
