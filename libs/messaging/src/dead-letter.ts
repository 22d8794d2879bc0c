// The dead-letter record written to fjc.dlq: the original message untouched, where it came
// from, and why it could not be handled, with a stable code.
export type DeadLetterCode = 'FJC_MSG_NOT_JSON' | 'FJC_MSG_INVALID' | 'FJC_MSG_NO_HANDLER' | 'FJC_MSG_HANDLER_FAILED';

export interface DeadLetter {
  readonly code: DeadLetterCode;
  readonly error: string;
  readonly consumer: string;
  readonly originalTopic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Record<string, string>;
  readonly attempts: number;
  readonly failedAt: string;
}
