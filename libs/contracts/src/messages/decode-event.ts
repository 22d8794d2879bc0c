// Reading an event from a topic or the log: check the envelope, lift an older payload version
// step by step to the current one, then check the result. Failures come back as values with a
// code a consumer can put on the dead-letter topic.
import { z } from 'zod';
import type { TopicKey } from '../topics';
import { EventEnvelopeSchema } from './envelope';
import { EVENT_CATALOG, FjcEventSchema, isEventType, type FjcEvent } from './event-catalog';

export const EVENT_DECODE_ERROR_CODES = [
  'FJC_EVENT_INVALID_ENVELOPE',
  'FJC_EVENT_UNKNOWN_TYPE',
  'FJC_EVENT_WRONG_TOPIC',
  'FJC_EVENT_NEWER_SCHEMA_VERSION',
  'FJC_EVENT_INVALID_PAYLOAD',
] as const;
export type EventDecodeErrorCode = (typeof EVENT_DECODE_ERROR_CODES)[number];

export type EventDecoding =
  | { readonly ok: true; readonly event: FjcEvent; /** The version the event was written with. */ readonly writtenVersion: number }
  | { readonly ok: false; readonly code: EventDecodeErrorCode; readonly message: string };

export function decodeEvent(value: unknown, options: { readonly topic?: TopicKey } = {}): EventDecoding {
  const envelope = EventEnvelopeSchema.safeParse(value);
  if (!envelope.success) return failure('FJC_EVENT_INVALID_ENVELOPE', z.prettifyError(envelope.error));
  const { type, schemaVersion } = envelope.data;
  if (!isEventType(type)) return failure('FJC_EVENT_UNKNOWN_TYPE', `unknown event type "${type}"`);
  const definition = EVENT_CATALOG[type];
  if (options.topic !== undefined && definition.topic !== options.topic) {
    return failure('FJC_EVENT_WRONG_TOPIC', `${type} belongs on ${definition.topic}, not on ${options.topic}`);
  }
  if (schemaVersion > definition.currentVersion) {
    return failure(
      'FJC_EVENT_NEWER_SCHEMA_VERSION',
      `${type} version ${schemaVersion} is newer than this reader knows (${definition.currentVersion}); upgrade the consumer`,
    );
  }

  let payload = envelope.data.payload;
  for (let version = schemaVersion; version < definition.currentVersion; version++) {
    const step = definition.upcasters.find((s) => s.from === version);
    if (step === undefined) return failure('FJC_EVENT_INVALID_PAYLOAD', `${type} has no upcaster from version ${version}`);
    const lifted = step.upcast(payload);
    if (!lifted.ok) return failure('FJC_EVENT_INVALID_PAYLOAD', `${type}: ${lifted.message}`);
    payload = lifted.payload;
  }

  const event = FjcEventSchema.safeParse({ ...envelope.data, schemaVersion: definition.currentVersion, payload });
  if (!event.success) return failure('FJC_EVENT_INVALID_PAYLOAD', `${type}: ${z.prettifyError(event.error)}`);
  return { ok: true, event: event.data, writtenVersion: schemaVersion };
}

function failure(code: EventDecodeErrorCode, message: string): EventDecoding {
  return { ok: false, code, message };
}
