// Reading a spec stream event back from the log through the contracts' decoder, which checks
// it and lifts older schema versions to the current one.
import { decodeEvent } from '@fjc/contracts';
import { toEnvelope, type StoredEvent } from '@fjc/event-log';
import { isSpecStreamEventType, type SpecStreamEvent } from './spec-stream';

export function decodeSpecStreamEvent(stored: StoredEvent): SpecStreamEvent {
  const decoded = decodeEvent(toEnvelope(stored), { topic: 'specEvents' });
  // Only this service writes spec streams, through the contract: an unreadable event is a bug
  // or a newer writer, and deciding on a partial stream would be wrong, so stop here.
  if (!decoded.ok) throw new Error(`FJC_SPEC_STREAM_UNREADABLE: ${stored.streamId}@${stored.streamVersion}: ${decoded.code}: ${decoded.message}`);
  const { type, payload } = decoded.event;
  if (!isSpecStreamEventType(type)) throw new Error(`FJC_SPEC_STREAM_UNREADABLE: ${stored.streamId}@${stored.streamVersion} holds ${type}`);
  return { type, payload } as SpecStreamEvent;
}
