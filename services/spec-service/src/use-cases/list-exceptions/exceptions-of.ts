// The Flink exceptions of a job, pure, from its events in log order: every JobExceptionObserved
// (the deployer logs each entry of Flink's exception history once), with the spec version whose
// Flink job failed, read from the Deploy/Upgrade actions that named that Flink job id. Newest first.
import { decodeEvent, type JobExceptionView } from '@fjc/contracts';
import { toEnvelope, type StoredEvent } from '@fjc/event-log';

const READ = new Set(['JobExceptionObserved', 'ActionRequested']);

export function exceptionsOf(stored: readonly StoredEvent[]): JobExceptionView[] {
  /** Flink job id → the spec version FJC deployed as it. */
  const versions = new Map<string, number>();
  const exceptions: JobExceptionView[] = [];
  for (const s of stored) {
    if (!READ.has(s.type)) continue;
    const decoded = decodeEvent(toEnvelope(s));
    if (!decoded.ok) continue;
    const event = decoded.event;
    if (event.type === 'ActionRequested') {
      const action = event.payload.action;
      if (action.kind === 'Deploy' || action.kind === 'Upgrade') versions.set(action.flinkJobId, action.specVersion);
    } else if (event.type === 'JobExceptionObserved') {
      const p = event.payload;
      exceptions.push({ ...p, version: versions.get(p.flinkJobId) ?? null, observedAt: s.occurredAt.toISOString(), position: s.position });
    }
  }
  return exceptions.reverse();
}
