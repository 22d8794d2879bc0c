// The reason a dead letter carries, pure: a sentence chosen by its code, plus safe detail (a
// field path from the contract's own checks, a stable FJC_ code). Never the text of a driver's
// error (PostgreSQL, kafkajs, Node): that can leak internals and changes between versions, so it
// stays in the service's log, next to the message's topic, partition and offset.
import type { DeadLetterCode } from '@fjc/contracts';

export interface DeadLetterDetail {
  readonly topic: string;
  /** Set only for problems found by FJC's own parsers (their messages name fields, not internals). */
  readonly contractError?: string;
  /** How many times the handler tried the message. */
  readonly attempts?: number;
  /** A stable FJC_ code the handler's error carried, if any. */
  readonly errorCode?: string;
}

const MAX_DETAIL = 500;

export function deadLetterReason(code: DeadLetterCode, detail: DeadLetterDetail): string {
  const why = detail.contractError ? `: ${clip(detail.contractError)}` : '.';
  switch (code) {
    case 'FJC_DLQ_NOT_JSON':
      return 'The message value is not JSON (or is empty), so it cannot be read.';
    case 'FJC_DLQ_NO_COMMAND_ID':
      return 'The command has no commandId (a non-empty string), so no result can be sent for it.';
    case 'FJC_DLQ_INVALID':
      return `The message does not match the schema of ${detail.topic}${why}`;
    case 'FJC_DLQ_NO_HANDLER':
      return `This service has no handler for ${detail.topic}.`;
    case 'FJC_DLQ_HANDLER_FAILED': {
      const tries = detail.attempts === undefined ? 'every attempt' : `${detail.attempts} attempts`;
      const coded = detail.errorCode ? ` (${detail.errorCode})` : '';
      return `The handler failed ${tries}${coded}; the service's log has the error under this message's topic, partition and offset.`;
    }
    case 'FJC_DLQ_NOT_IN_LOG':
      return `The event is not in the event log (or differs from the event the log holds under its id), so it was not acted on: only events the relay published from the log are.`;
    case 'FJC_EVENT_INVALID_ENVELOPE':
      return `The event envelope is invalid${why}`;
    case 'FJC_EVENT_UNKNOWN_TYPE':
      return `The event type is unknown to this version of FJC${why}`;
    case 'FJC_EVENT_WRONG_TOPIC':
      return `The event type does not belong on ${detail.topic}${why}`;
    case 'FJC_EVENT_NEWER_SCHEMA_VERSION':
      return `The event was written with a newer schema version than this service reads${why}`;
    case 'FJC_EVENT_INVALID_PAYLOAD':
      return `The event payload does not match its schema${why}`;
  }
}

/** The FJC_ code an error carries (a `code` field, or a message or text led by one), if any. */
export function fjcCodeOf(err: unknown): string | undefined {
  const field = typeof err === 'object' && err !== null && 'code' in err ? (err as { code: unknown }).code : undefined;
  if (typeof field === 'string' && /^FJC_[A-Z0-9_]+$/.test(field)) return field;
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : undefined;
  return message ? /^(FJC_[A-Z0-9_]+)\b/.exec(message)?.[1] : undefined;
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_DETAIL ? `${oneLine.slice(0, MAX_DETAIL - 1)}…` : oneLine;
}
