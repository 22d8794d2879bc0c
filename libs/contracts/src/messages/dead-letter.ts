// A message that could not even be read (not JSON, no commandId, unknown event type) goes to
// fjc.dlq with the reason and the raw bytes, so nothing is lost and someone can look at it.
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
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;
export type DeadLetterCode = z.infer<typeof DeadLetterCodeSchema>;
