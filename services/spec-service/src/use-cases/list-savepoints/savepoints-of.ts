// The savepoints of a job, pure, from its events in log order: every SavepointRecorded (the
// reconciler's record of a savepoint with the spec version and hash it came from), with
// disposedAt set once a DisposeSavepoint action for its path has succeeded. Disposed savepoints
// are kept in the list, flagged, so the history stays readable; newest (takenAt) first.
import { decodeEvent, type FjcEvent, type SavepointView } from '@fjc/contracts';
import { toEnvelope, type StoredEvent } from '@fjc/event-log';

const READ = new Set(['SavepointRecorded', 'ActionRequested', 'ActionSucceeded']);

export function savepointsOf(stored: readonly StoredEvent[]): SavepointView[] {
  const recorded = new Map<string, SavepointView>();
  /** DisposeSavepoint actions asked for: actionId → path. */
  const disposals = new Map<string, string>();
  const disposed = new Map<string, string>();
  for (const s of stored) {
    if (!READ.has(s.type)) continue;
    const decoded = decodeEvent(toEnvelope(s));
    if (!decoded.ok) continue;
    const event: FjcEvent = decoded.event;
    switch (event.type) {
      case 'SavepointRecorded': {
        const { path, version, specHash, flinkJobId, takenAt, origin } = event.payload;
        recorded.set(path, { path, version, specHash, flinkJobId, takenAt, origin, disposedAt: disposed.get(path) ?? null });
        break;
      }
      case 'ActionRequested':
        if (event.payload.action.kind === 'DisposeSavepoint') disposals.set(event.payload.actionId, event.payload.action.path);
        break;
      case 'ActionSucceeded':
        if (event.payload.kind === 'DisposeSavepoint' && disposals.has(event.payload.actionId)) {
          const path = event.payload.path;
          const at = s.occurredAt.toISOString();
          disposed.set(path, at);
          const savepoint = recorded.get(path);
          if (savepoint) recorded.set(path, { ...savepoint, disposedAt: at });
        }
        break;
      default:
        break;
    }
  }
  return [...recorded.values()].sort((a, b) => (a.takenAt < b.takenAt ? 1 : a.takenAt > b.takenAt ? -1 : b.version - a.version));
}
