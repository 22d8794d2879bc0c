// A message that could not even be read (not JSON, no commandId, unknown event type), or whose
// handler kept failing, goes to fjc.dlq with a coded reason and the original value, key and
// headers, so nothing is lost and `fjc dlq replay` can send it back once the cause is fixed.
// The reason is a sentence chosen by code with safe detail (a field path), never a driver's
// error text: that stays in the service's log. A replay appends a DeadLetterReplayed marker to
// fjc.dlq (header event-type DeadLetterReplayed), so the same dead letter is not replayed twice.
import { z } from 'zod';
import { UtcTimestampSchema } from './common';
import { EVENT_DECODE_ERROR_CODES } from './decode-event';

export const DEAD_LETTER_CODES = [
  'FJC_DLQ_NOT_JSON',
  'FJC_DLQ_NO_COMMAND_ID',
  /** The value failed its topic's schema. */
  'FJC_DLQ_INVALID',
  /** No handler is registered for the topic. */
  'FJC_DLQ_NO_HANDLER',
  /** The handler kept failing after its bounded retries. */
  'FJC_DLQ_HANDLER_FAILED',
  /** An event on an internal topic that the event log does not hold (or holds otherwise): forged. */
  'FJC_DLQ_NOT_IN_LOG',
  ...EVENT_DECODE_ERROR_CODES,
] as const;
export const DeadLetterCodeSchema = z.enum(DEAD_LETTER_CODES);

export const DeadLetterSchema = z.strictObject({
  code: DeadLetterCodeSchema,
  reason: z.string().min(1),
  sourceTopic: z.string().min(1),
  partition: z.int().min(0),
  offset: z.string().regex(/^[0-9]+$/, 'must be a Kafka offset in decimal'),
  /** The original message key (the job id when the producer followed the contract), or null. */
  key: z.string().nullable(),
  /** The original value as UTF-8 text. */
  value: z.string(),
  receivedAt: UtcTimestampSchema,
  /** The service that gave up on the message. */
  consumer: z.string().min(1),
  /** How many times a handler tried it (0 when it could not even be read). */
  attempts: z.int().min(0).optional(),
  /** The original message's headers (absent in dead letters written before they were kept). */
  headers: z.record(z.string(), z.string()).optional(),
  /** Headers of the original message that the dead letter does not keep: credentials. */
  removedHeaders: z.array(z.string()).optional(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

/** A dead letter's id: its partition and offset in fjc.dlq, "partition:offset". */
export const DeadLetterIdSchema = z.string().regex(/^[0-9]+:[0-9]+$/, 'must be a dead letter id, partition:offset');

/** Written to fjc.dlq when a dead letter was sent back to its source topic. */
export const DeadLetterReplayedSchema = z.strictObject({
  replayOf: DeadLetterIdSchema,
  sourceTopic: z.string().min(1),
  /** Where the replayed copy landed in the source topic. */
  partition: z.int().min(0).optional(),
  offset: z.string().regex(/^[0-9]+$/).optional(),
  replayedAt: UtcTimestampSchema,
  /** Who replayed it (the OS user running fjc, when known). */
  by: z.string().min(1).optional(),
  /** True when it had been replayed before and --force was given. */
  forced: z.boolean(),
});
export type DeadLetterReplayed = z.infer<typeof DeadLetterReplayedSchema>;

/** The values fjc.dlq carries: dead letters, and markers of their replays. */
export const DlqValueSchema = z.union([DeadLetterSchema, DeadLetterReplayedSchema]);

/** The event-type header of each kind of fjc.dlq message. */
export const DLQ_EVENT_TYPES = { deadLetter: 'DeadLetter', replayed: 'DeadLetterReplayed' } as const;
/** Header on a replayed message naming the dead letter it came from ("<dlq topic>:partition:offset"). */
export const DLQ_REPLAY_OF_HEADER = 'fjc-dlq-replay-of';
export type DeadLetterCode = z.infer<typeof DeadLetterCodeSchema>;
