// Shapes of the event log as the application sees it. Positions and transaction ids are
// 64-bit in PostgreSQL and travel as decimal strings so nothing is rounded.
export interface EventActor {
  readonly kind: 'user' | 'service' | 'upstream';
  readonly id: string;
  /** Set for authenticated callers; see ActorSchema in the contracts. */
  readonly issuer?: string;
  readonly subject?: string;
  readonly name?: string;
  readonly tokenId?: string;
  readonly via?: Omit<EventActor, 'via'>;
}

/** Who and what caused an event; stored in the metadata column and carried on the envelope. */
export interface EventMetadata {
  readonly producer: string;
  readonly actor: EventActor;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly traceparent?: string;
}

export interface NewEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly jobId: string;
  readonly payload: unknown;
  readonly metadata: EventMetadata;
  readonly occurredAt: Date;
}

export interface StoredEvent extends NewEvent {
  readonly position: string;
  readonly txId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly recordedAt: Date;
}

/** A reader's place in the log: everything at or before (txId, position) has been seen. */
export interface LogCheckpoint {
  readonly txId: string;
  readonly position: string;
}

export const LOG_START: LogCheckpoint = { txId: '0', position: '0' };

/** What the expected version of a stream may be: a number, "no stream yet", or "don't check". */
export type ExpectedVersion = number | 'no-stream' | 'any';

export type AppendResult =
  | { readonly status: 'appended'; readonly streamVersion: number; readonly positions: readonly string[] }
  | { readonly status: 'duplicate'; readonly streamVersion: number }
  | {
      readonly status: 'conflict';
      readonly code: 'FJC_VERSION_CONFLICT';
      readonly expectedVersion: ExpectedVersion;
      readonly actualVersion: number;
    };
