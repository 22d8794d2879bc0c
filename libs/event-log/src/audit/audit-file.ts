// The audit export format (docs/compliance.md) and its verifier: pure, no database, so a file
// can be checked on its own anywhere. An archive (archive.ts) is a file of the same format.
//
// Each event carries its payload and metadata exactly as PostgreSQL stored them (jsonb text),
// so its hash recomputes byte for byte as event_log_row_hash computes it in the database.
import { createHash } from 'node:crypto';

export const AUDIT_FORMAT = 'fjc-audit-export';
export const AUDIT_FORMAT_VERSION = 1;

/** The recorded actor, whole (kind, id and, for people, issuer, subject, token...). */
export interface AuditActor {
  readonly kind: string;
  readonly id: string;
  readonly [detail: string]: unknown;
}

export interface AuditEvent {
  readonly position: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly jobId: string;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** Who did it, as recorded in the metadata (shown for people; checked against the metadata). */
  readonly actor: AuditActor | null;
  /** UTC, microseconds, no zone suffix: the text the hash covers. */
  readonly occurredAt: string;
  readonly recordedAt: string;
  /** The stored jsonb text of payload and metadata: what the hash covers. */
  readonly payload: string;
  readonly metadata: string;
  readonly prevHash: string | null;
  readonly hash: string;
  /** Archives only: the writing transaction's id, the log's replay order with the position (not hashed). */
  readonly txId?: string;
}

/** An event in the range that the namespace filter left out: only where it stands and its hash. */
export interface OmittedEvent {
  readonly position: string;
  readonly hash: string;
}

/** Where an exported stream segment ends: the next version (after the range), or none at export time. */
export interface StreamSegment {
  readonly streamId: string;
  readonly firstVersion: number;
  readonly lastVersion: number;
  readonly next: { readonly position: string; readonly version: number; readonly prevHash: string; readonly hash: string; readonly recordedAt: string } | null;
}

export interface AuditFile {
  readonly format: typeof AUDIT_FORMAT;
  readonly formatVersion: typeof AUDIT_FORMAT_VERSION;
  readonly kind: 'export' | 'archive';
  readonly exportedAt: string;
  /** recorded_at in [from, to); namespace null: every namespace. */
  readonly range: { readonly from: string; readonly to: string; readonly namespace: string | null };
  readonly events: readonly AuditEvent[];
  readonly omitted: readonly OmittedEvent[];
  readonly streams: readonly StreamSegment[];
  /** SHA-256 over the hashes of every event in the range (exported and omitted) in position order. */
  readonly rangeDigest: string;
}

export type AuditVerdict =
  | { readonly ok: true; readonly events: number; readonly omitted: number; readonly streams: number; readonly rangeDigest: string }
  | { readonly ok: false; readonly code: 'FJC_AUDIT_FILE_INVALID' | 'FJC_AUDIT_EVENT_TAMPERED' | 'FJC_AUDIT_INCOMPLETE'; readonly eventId: string | null; readonly message: string };

/** The hash event_log_row_hash computes, from the exported texts. */
export function rowHash(e: Omit<AuditEvent, 'hash' | 'actor' | 'recordedAt' | 'position'>): string {
  const text = [e.prevHash ?? '', e.streamId, String(e.streamVersion), e.jobId, e.eventId, e.type, String(e.schemaVersion), e.payload, e.metadata, e.occurredAt].join('\x1f');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function rangeDigestOf(hashes: readonly { position: string; hash: string }[]): string {
  const sorted = [...hashes].sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
  const h = createHash('sha256');
  for (const x of sorted) h.update(`${x.position}:${x.hash}\n`);
  return h.digest('hex');
}

function fail(code: Extract<AuditVerdict, { ok: false }>['code'], eventId: string | null, message: string): AuditVerdict {
  return { ok: false, code, eventId, message };
}

export function actorOf(metadataText: string): AuditActor | null {
  return (JSON.parse(metadataText) as { actor?: AuditActor }).actor ?? null;
}

/** Checks a parsed file alone: every hash, every link, every segment end, the range digest. */
export function verifyAuditFile(input: unknown): AuditVerdict {
  const file = input as AuditFile;
  if (typeof file !== 'object' || file === null || file.format !== AUDIT_FORMAT || file.formatVersion !== AUDIT_FORMAT_VERSION) {
    return fail('FJC_AUDIT_FILE_INVALID', null, `not an ${AUDIT_FORMAT} file of version ${AUDIT_FORMAT_VERSION}`);
  }
  if (!Array.isArray(file.events) || !Array.isArray(file.omitted) || !Array.isArray(file.streams) || !file.range) {
    return fail('FJC_AUDIT_FILE_INVALID', null, 'events, omitted, streams and range are required');
  }
  const from = Date.parse(file.range.from);
  const to = Date.parse(file.range.to);
  const positions = new Set<string>();
  // 1. Every event: its content matches its hash, its actor is the recorded one, it lies in the range.
  for (const e of file.events) {
    let recomputed: string;
    let actor: AuditActor | null;
    try {
      recomputed = rowHash(e);
      actor = actorOf(e.metadata);
    } catch {
      return fail('FJC_AUDIT_EVENT_TAMPERED', e?.eventId ?? null, `event ${e?.eventId} is malformed`);
    }
    const where = `event ${e.eventId} (${e.streamId} version ${e.streamVersion}, position ${e.position})`;
    if (recomputed !== e.hash) return fail('FJC_AUDIT_EVENT_TAMPERED', e.eventId, `${where}: content does not match its hash`);
    if (JSON.stringify(actor) !== JSON.stringify(e.actor ?? null)) return fail('FJC_AUDIT_EVENT_TAMPERED', e.eventId, `${where}: actor differs from the recorded one`);
    const at = Date.parse(e.recordedAt);
    if (!(at >= from && at < to)) return fail('FJC_AUDIT_INCOMPLETE', e.eventId, `${where}: recorded at ${e.recordedAt}, outside the range`);
    if (positions.has(e.position)) return fail('FJC_AUDIT_FILE_INVALID', e.eventId, `${where}: position listed twice`);
    positions.add(e.position);
  }
  for (const o of file.omitted) {
    if (positions.has(o.position)) return fail('FJC_AUDIT_FILE_INVALID', null, `position ${o.position} listed twice`);
    positions.add(o.position);
  }
  // 2. Every stream: its exported versions are contiguous and linked, and the segment ends where the file says.
  const byStream = new Map<string, AuditEvent[]>();
  for (const e of file.events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
  const segments = new Map(file.streams.map((s) => [s.streamId, s]));
  if (segments.size !== byStream.size) return fail('FJC_AUDIT_INCOMPLETE', null, `${byStream.size} streams exported but ${segments.size} segments listed`);
  for (const [streamId, events] of byStream) {
    const seg = segments.get(streamId);
    if (!seg) return fail('FJC_AUDIT_INCOMPLETE', null, `stream ${streamId} has no segment`);
    events.sort((a, b) => a.streamVersion - b.streamVersion);
    if (events[0].streamVersion !== seg.firstVersion) return fail('FJC_AUDIT_INCOMPLETE', events[0].eventId, `stream ${streamId} starts at version ${events[0].streamVersion}, its segment at ${seg.firstVersion}`);
    if (events[0].streamVersion === 1 && events[0].prevHash !== null) return fail('FJC_AUDIT_EVENT_TAMPERED', events[0].eventId, `event ${events[0].eventId} is version 1 but links to a predecessor`);
    for (let i = 1; i < events.length; i++) {
      const [prev, cur] = [events[i - 1], events[i]];
      if (cur.streamVersion !== prev.streamVersion + 1) return fail('FJC_AUDIT_INCOMPLETE', cur.eventId, `stream ${streamId}: version ${prev.streamVersion + 1} is missing before event ${cur.eventId}`);
      if (cur.prevHash !== prev.hash) return fail('FJC_AUDIT_EVENT_TAMPERED', prev.eventId, `event ${prev.eventId} (${streamId} version ${prev.streamVersion}) is not the one event ${cur.eventId} links to`);
    }
    const last = events[events.length - 1];
    if (last.streamVersion !== seg.lastVersion) return fail('FJC_AUDIT_INCOMPLETE', last.eventId, `stream ${streamId} ends at version ${last.streamVersion}, its segment at ${seg.lastVersion}`);
    if (seg.next !== null) {
      if (seg.next.version !== last.streamVersion + 1 || seg.next.prevHash !== last.hash) return fail('FJC_AUDIT_EVENT_TAMPERED', last.eventId, `event ${last.eventId} (${streamId} version ${last.streamVersion}) is not the one its successor links to`);
      // An archive keeps each stream's newer rows live (they may be older than the cutoff).
      if (file.kind !== 'archive' && !(Date.parse(seg.next.recordedAt) >= to)) return fail('FJC_AUDIT_INCOMPLETE', last.eventId, `stream ${streamId}: version ${seg.next.version} was recorded inside the range but is not exported`);
    }
  }
  // 3. The range as a whole: the digest over every event's hash, exported or omitted.
  const digest = rangeDigestOf([...file.events, ...file.omitted]);
  if (digest !== file.rangeDigest) return fail('FJC_AUDIT_INCOMPLETE', null, `the range digest does not match the events and omitted hashes listed`);
  return { ok: true, events: file.events.length, omitted: file.omitted.length, streams: byStream.size, rangeDigest: digest };
}
