// Appending FJC events to a service's streams: builds the stored event from a typed payload
// and its cause (actor, correlation, causation), checks the payload against the contract, and
// appends inside the caller's transaction with an expected version.
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Histogram, Registry } from 'prom-client';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { EVENT_CATALOG, currentEventSchema, type Actor, type FjcEventType, type PayloadOf } from '@fjc/contracts';
import { activeTraceparent, appendToStream, type AppendResult, type ExpectedVersion, type NewEvent, type Queryable } from '@fjc/event-log';
import { SERVICE_IDENTITY, type ServiceIdentity } from '../service-identity';
import { CLOCK, type Clock } from './tokens';
import { METRICS_REGISTRY } from '../metrics';
import { appendDurationHistogram } from './platform-metrics';

export type PendingEvent = { [T in FjcEventType]: { readonly type: T; readonly payload: PayloadOf<T>; readonly eventId?: string } }[FjcEventType];

/** Why events are written: who asked, and which message (if any) led here. */
export interface EventCause {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly traceparent?: string;
}

@Injectable()
export class EventWriter {
  private readonly appendDuration: Histogram | null;

  constructor(
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(METRICS_REGISTRY) registry?: Registry,
  ) {
    this.appendDuration = registry ? appendDurationHistogram(registry) : null;
  }

  async append(tx: Queryable, streamId: string, expected: ExpectedVersion, jobId: string, events: readonly PendingEvent[], cause: EventCause): Promise<AppendResult> {
    const now = this.clock.now();
    // The span this append happens in continues the trace (the cause's traceparent otherwise).
    const traceparent = activeTraceparent() ?? cause.traceparent;
    const stored: NewEvent[] = events.map((e) => ({
      eventId: e.eventId ?? randomUUID(),
      type: e.type,
      schemaVersion: EVENT_CATALOG[e.type].currentVersion,
      jobId,
      payload: checkedPayload(e.type, e.payload),
      metadata: {
        producer: this.identity.name,
        actor: cause.actor,
        correlationId: cause.correlationId,
        causationId: cause.causationId,
        ...(traceparent ? { traceparent } : {}),
      },
      occurredAt: now,
    }));
    const timer = this.appendDuration?.startTimer();
    const result = await appendToStream(tx, streamId, expected, stored);
    timer?.();
    return result;
  }

  /** The actor services write as when they act on their own (resync, schedule). */
  get serviceActor(): Actor {
    return { kind: 'service', id: this.identity.name };
  }
}

function checkedPayload(type: FjcEventType, payload: unknown): unknown {
  const schema = currentEventSchema(type) as z.ZodObject<{ payload: z.ZodType }>;
  const result = schema.shape.payload.safeParse(payload);
  if (!result.success) {
    // A payload the contract refuses is a bug in this service, never user input.
    throw new Error(`FJC_EVENT_INVALID_PAYLOAD: ${type}: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}
