// The dead letters of fjc.dlq as `fjc dlq` shows them, pure: the topic's records folded into one
// entry per dead letter (id "partition:offset") with the replays recorded for it, and the
// decision whether a replay may go ahead.
import { DLQ_EVENT_TYPES, DLQ_REPLAY_OF_HEADER, DeadLetterReplayedSchema, DeadLetterSchema, SPEC_COMMAND_CREDENTIAL_HEADER, type DeadLetter, type DeadLetterReplayed } from '@fjc/contracts';

/** One record of the DLQ topic as read from Kafka. */
export interface DlqRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /** The Kafka timestamp, ms since the epoch. */
  readonly timestamp: string;
}

export interface DeadLetterEntry {
  readonly id: string;
  /** The dead letter, or null when the record is not one FJC can read. */
  readonly letter: DeadLetter | null;
  readonly record: DlqRecord;
  readonly replays: readonly DeadLetterReplayed[];
}

export const idOf = (r: { partition: number; offset: string }): string => `${r.partition}:${r.offset}`;

/** Folds the DLQ's records, in any order, into its dead letters in (partition, offset) order. */
export function foldDeadLetters(records: readonly DlqRecord[]): DeadLetterEntry[] {
  const replays = new Map<string, DeadLetterReplayed[]>();
  const letters: Array<Omit<DeadLetterEntry, 'replays'>> = [];
  for (const record of records) {
    const json = parseJson(record.value);
    const marker = record.headers['event-type'] === DLQ_EVENT_TYPES.replayed ? DeadLetterReplayedSchema.safeParse(json) : null;
    if (marker?.success) {
      replays.set(marker.data.replayOf, [...(replays.get(marker.data.replayOf) ?? []), marker.data]);
      continue;
    }
    const letter = DeadLetterSchema.safeParse(json);
    letters.push({ id: idOf(record), letter: letter.success ? letter.data : null, record });
  }
  return letters
    .sort((a, b) => a.record.partition - b.record.partition || Number(BigInt(a.record.offset) - BigInt(b.record.offset)))
    .map((l) => ({ ...l, replays: (replays.get(l.id) ?? []).sort((a, b) => a.replayedAt.localeCompare(b.replayedAt)) }));
}

export type ReplayDecision =
  | { readonly ok: true; readonly letter: DeadLetter; readonly forced: boolean }
  | { readonly ok: false; readonly code: 'FJC_DLQ_NOT_FOUND' | 'FJC_DLQ_UNREADABLE' | 'FJC_DLQ_ALREADY_REPLAYED'; readonly message: string };

export function decideReplay(entries: readonly DeadLetterEntry[], id: string, force: boolean): ReplayDecision {
  const entry = entries.find((e) => e.id === id);
  if (!entry) return { ok: false, code: 'FJC_DLQ_NOT_FOUND', message: `no dead letter ${id} (run fjc dlq list)` };
  if (!entry.letter) return { ok: false, code: 'FJC_DLQ_UNREADABLE', message: `${id} is not a dead letter FJC can read; there is nothing to replay` };
  const last = entry.replays.at(-1);
  if (last && !force) {
    return {
      ok: false,
      code: 'FJC_DLQ_ALREADY_REPLAYED',
      message: `${id} was already replayed to ${last.sourceTopic} at ${last.replayedAt}${last.by ? ` by ${last.by}` : ''}; add --force to send it again`,
    };
  }
  return { ok: true, letter: entry.letter, forced: last !== undefined };
}

/**
 * The headers the replayed message carries: the original ones, and where it came from. A dead
 * letter never keeps a credential; when the original had one, the replay carries the replaying
 * operator's token instead (`token`), so the command is authenticated, and recorded, as theirs.
 */
export function replayHeaders(letter: DeadLetter, dlqTopic: string, id: string, token: string | null = null): ReplayHeaders {
  const headers: Record<string, string> = { ...(letter.headers ?? {}), [DLQ_REPLAY_OF_HEADER]: `${dlqTopic}:${id}` };
  const removed = letter.removedHeaders ?? [];
  if (!removed.some((h) => h.toLowerCase() === SPEC_COMMAND_CREDENTIAL_HEADER)) return { ok: true, headers };
  if (token === null) {
    return {
      ok: false,
      code: 'FJC_DLQ_CREDENTIAL_NEEDED',
      message: `${id} was sent with a credential, which a dead letter never keeps; set FJC_TOKEN (or FJC_TOKEN_FILE) to replay it as yourself`,
    };
  }
  return { ok: true, headers: { ...headers, [SPEC_COMMAND_CREDENTIAL_HEADER]: `Bearer ${token}` } };
}

export type ReplayHeaders =
  | { readonly ok: true; readonly headers: Record<string, string> }
  | { readonly ok: false; readonly code: 'FJC_DLQ_CREDENTIAL_NEEDED'; readonly message: string };

export function listRow(e: DeadLetterEntry): string[] {
  const l = e.letter;
  const time = l?.receivedAt ?? new Date(Number(e.record.timestamp)).toISOString();
  const replayed = e.replays.length === 0 ? '-' : `${e.replays.at(-1)?.replayedAt}${e.replays.length > 1 ? ` (${e.replays.length}x)` : ''}`;
  return [e.id, l?.code ?? '(unreadable)', l?.sourceTopic ?? '-', l?.key ?? e.record.key ?? '-', time, replayed];
}

export const LIST_HEADER = ['ID', 'CODE', 'SOURCE TOPIC', 'KEY', 'TIME', 'REPLAYED'];

/** One dead letter in full, as text. */
export function showEntry(e: DeadLetterEntry, dlqTopic: string): string {
  const lines: string[] = [`id:          ${e.id} (${dlqTopic})`];
  const l = e.letter;
  if (!l) {
    lines.push('code:        (unreadable: not a dead letter FJC wrote)', `key:         ${e.record.key ?? '-'}`, 'value:', indent(e.record.value ?? ''));
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `code:        ${l.code}`,
    `reason:      ${l.reason}`,
    `source:      ${l.sourceTopic} partition ${l.partition} offset ${l.offset}`,
    `key:         ${l.key ?? '-'}`,
    `consumer:    ${l.consumer}`,
    `attempts:    ${l.attempts ?? '-'}`,
    `received:    ${l.receivedAt}`,
  );
  const headers = Object.entries(l.headers ?? {});
  lines.push(`headers:     ${headers.length === 0 ? (l.headers ? '-' : '(not recorded)') : ''}`);
  for (const [k, v] of headers) lines.push(`  ${k}: ${v}`);
  for (const k of l.removedHeaders ?? []) lines.push(`  ${k}: (a credential, not kept; a replay carries your FJC_TOKEN)`);
  lines.push(`replays:     ${e.replays.length === 0 ? '-' : ''}`);
  for (const r of e.replays) {
    const at = r.partition !== undefined ? ` partition ${r.partition} offset ${r.offset}` : '';
    lines.push(`  ${r.replayedAt} to ${r.sourceTopic}${at}${r.by ? ` by ${r.by}` : ''}${r.forced ? ' (forced)' : ''}`);
  }
  const json = parseJson(l.value);
  lines.push('value:', indent(json === undefined ? l.value : JSON.stringify(json, null, 2)));
  return `${lines.join('\n')}\n`;
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
