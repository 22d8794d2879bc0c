// The job page's event timeline, read from the job's audit trail (GET /jobs/{id}/events, in log
// order). Pure.
import type { Actor, LoggedEvent } from '@fjc/contracts';

export interface TimelineRow {
  readonly position: string;
  readonly occurredAt: string;
  readonly type: string;
  readonly actor: string;
  readonly traceId: string | null;
  readonly correlationId: string;
  /** One line on what happened, from the payload's telling fields. */
  readonly summary: string;
}

/** The actor as people read it: "token:ci", "alice via api-gateway". */
export function actorLabel(actor: Actor): string {
  const own = actor.name ?? actor.subject ?? actor.id;
  return actor.via ? `${own} via ${actor.via.name ?? actor.via.subject ?? actor.via.id}` : own;
}

/** Log order: by position (64-bit decimals, compared as big integers). */
export function timelineOf(events: readonly LoggedEvent[]): TimelineRow[] {
  return [...events]
    .sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : BigInt(a.position) > BigInt(b.position) ? 1 : 0))
    .map((e) => ({
      position: e.position,
      occurredAt: e.occurredAt,
      type: e.type,
      actor: actorLabel(e.actor),
      traceId: e.traceId ?? null,
      correlationId: e.correlationId,
      summary: summaryOf(e.type, (e.payload ?? {}) as Record<string, unknown>),
    }));
}

function summaryOf(type: string, p: Record<string, unknown>): string {
  const at = (key: string) => (p[key] === undefined || p[key] === null ? undefined : String(p[key]));
  switch (type) {
    case 'LifecycleChanged':
      return `${at('from') ?? 'none'} → ${at('to')}${at('reason') ? `: ${at('reason')}` : ''}`;
    case 'ActionRequested':
    case 'ActionStarted':
    case 'ActionSucceeded':
    case 'ActionFailed': {
      const action = (p.action ?? {}) as Record<string, unknown>;
      const error = (p.error ?? {}) as Record<string, unknown>;
      return [action.kind, p.cluster ? `on ${String(p.cluster)}` : undefined, error.code ? `${String(error.code)}: ${String(error.message)}` : undefined].filter(Boolean).join(' ');
    }
    case 'JobObserved':
      return `Flink ${at('flinkState')}${p.failure ? `: ${String((p.failure as { message: string }).message)}` : ''}`;
    case 'JobExceptionObserved': {
      const root = (p.rootCause ?? {}) as { name?: string; message?: string };
      return `${root.name ?? 'exception'}: ${root.message ?? ''}`;
    }
    case 'JobRolledBack':
      return `version ${at('version')}: back to version ${at('toVersion')}`;
    default:
      return [at('version') !== undefined ? `version ${at('version')}` : undefined, at('reason')].filter(Boolean).join(': ');
  }
}
