// The first step of handling a Kafka message, pure: bytes -> JSON -> the topic's parser.
// What fails here can never succeed on a retry, so it goes to the DLQ at once.
import type { DeadLetterCode } from '@fjc/contracts';

/** What a message that claims to be an event of the log says it is: the transport checks that
 *  the log holds an event with its id, type and payload before any handler sees it. */
export interface LogClaim {
  readonly type: string;
  readonly jobId: string;
  readonly streamVersion: number;
  readonly payload: unknown;
}

/** Validates a topic's decoded value; returns the parsed value and its dedupe id (and, for events
 *  relayed from the log, what to check against the log), or a readable error. */
export type MessageParser = (value: unknown) => { ok: true; value: unknown; id: string; fromLog?: LogClaim } | { ok: false; error: string };

export type DecodedMessage = { ok: true; value: unknown; id: string; fromLog?: LogClaim } | { ok: false; code: DeadLetterCode; error: string };

export function decodeMessage(raw: string | null, parser: MessageParser | undefined): DecodedMessage {
  let json: unknown;
  try {
    if (raw === null) throw new Error('the message has no value');
    json = JSON.parse(raw);
  } catch (err) {
    return { ok: false, code: 'FJC_DLQ_NOT_JSON', error: `not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!parser) return { ok: false, code: 'FJC_DLQ_NO_HANDLER', error: 'no parser is registered for this topic' };
  const result = parser(json);
  if (result.ok) return result;
  // Parsers may lead their error with a more precise code of the contract ("FJC_DLQ_NO_COMMAND_ID: ...").
  const coded = /^(FJC_[A-Z_]+): (.*)$/s.exec(result.error);
  return coded ? { ok: false, code: coded[1] as DeadLetterCode, error: coded[2] } : { ok: false, code: 'FJC_DLQ_INVALID', error: result.error };
}
