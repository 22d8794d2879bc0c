// A stored event as the read side shows it: the public envelope plus its log position and stream.
import { toEnvelope, type StoredEvent } from '@fjc/event-log';
import type { LoggedEvent } from '@fjc/contracts';

export function toLoggedEvent(event: StoredEvent): LoggedEvent {
  return { ...toEnvelope(event), position: event.position, streamId: event.streamId };
}
