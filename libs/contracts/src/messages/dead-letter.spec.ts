import { DeadLetterReplayedSchema, DeadLetterSchema, DlqValueSchema } from './dead-letter';

const letter = {
  code: 'FJC_DLQ_HANDLER_FAILED',
  reason: 'The handler failed 5 attempts.',
  sourceTopic: 'fjc.spec.commands',
  partition: 2,
  offset: '17',
  key: 'orders',
  value: '{"commandId":"x"}',
  receivedAt: '2026-11-28T09:00:00.000Z',
  consumer: 'fjc.spec-service',
  attempts: 5,
  headers: { traceparent: '00-abc-def-01' },
};
const marker = { replayOf: '0:42', sourceTopic: 'fjc.spec.commands', partition: 1, offset: '99', replayedAt: '2026-11-28T09:05:00.000Z', by: 'ops', forced: false };

describe('fjc.dlq values', () => {
  it('keeps the original headers of a dead letter; older letters without them still parse', () => {
    expect(DeadLetterSchema.parse(letter)).toEqual(letter);
    const { headers: _headers, ...older } = letter;
    expect(DeadLetterSchema.safeParse(older).success).toBe(true);
  });

  it('tells a dead letter from a replay marker', () => {
    expect(DlqValueSchema.parse(letter)).toEqual(letter);
    expect(DlqValueSchema.parse(marker)).toEqual(marker);
    expect(DeadLetterSchema.safeParse(marker).success).toBe(false);
    expect(DeadLetterReplayedSchema.safeParse(letter).success).toBe(false);
  });

  it('names a replayed dead letter by partition:offset', () => {
    expect(DeadLetterReplayedSchema.safeParse({ ...marker, replayOf: '42' }).success).toBe(false);
  });
});
