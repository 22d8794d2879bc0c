// The spec versions of a stream, oldest first, with who made each and why: pure, from the
// decoded events of `spec-<jobId>`.
import type { EventMetadata, StoredEvent } from '@fjc/event-log';
import type { SpecStreamEvent } from '../../spec-stream/spec-stream';
import type { SpecVersionView } from '@fjc/contracts';

export function specVersionsOf(events: readonly { readonly stored: StoredEvent; readonly event: SpecStreamEvent }[]): SpecVersionView[] {
  return events.flatMap(({ stored, event }): SpecVersionView[] => {
    const meta: Pick<SpecVersionView, 'occurredAt' | 'actor' | 'correlationId' | 'eventId'> = provenance(stored, stored.metadata);
    switch (event.type) {
      case 'SpecUpdated':
      case 'JobSuspendRequested':
      case 'JobResumeRequested':
        return [{ version: event.payload.version, type: event.type, specHash: event.payload.specHash, spec: event.payload.spec, ...meta }];
      case 'JobRolledBack':
        return [
          { version: event.payload.version, type: event.type, specHash: event.payload.specHash, spec: event.payload.spec, rolledBackTo: event.payload.toVersion, ...meta },
        ];
      default:
        return [];
    }
  });
}

function provenance(stored: StoredEvent, metadata: EventMetadata) {
  return { occurredAt: stored.occurredAt.toISOString(), actor: metadata.actor, correlationId: metadata.correlationId, eventId: stored.eventId };
}
