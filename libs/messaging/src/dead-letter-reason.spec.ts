import { DEAD_LETTER_CODES } from '@fjc/contracts';
import { deadLetterReason, fjcCodeOf } from './dead-letter-reason';

describe('deadLetterReason', () => {
  it.each(DEAD_LETTER_CODES.map((c) => [c]))('%s has a sentence of its own', (code) => {
    const reason = deadLetterReason(code, { topic: 'fjc.spec.commands', attempts: 5 });
    expect(reason).toMatch(/^[A-Z].*\.$/);
    expect(reason).not.toContain('undefined');
  });

  it('never carries the text of a handler error, only a stable code from it', () => {
    const reason = deadLetterReason('FJC_DLQ_HANDLER_FAILED', { topic: 't', attempts: 5, errorCode: fjcCodeOf(new Error('invalid input syntax for type uuid: "not-a-uuid"')) });
    expect(reason).toBe("The handler failed 5 attempts; the service's log has the error under this message's topic, partition and offset.");
    expect(deadLetterReason('FJC_DLQ_HANDLER_FAILED', { topic: 't', attempts: 3, errorCode: 'FJC_FLINK_UNREACHABLE' })).toContain('3 attempts (FJC_FLINK_UNREACHABLE)');
  });

  it("keeps the contract's own detail (the field path) for a message that failed its schema", () => {
    expect(deadLetterReason('FJC_EVENT_INVALID_PAYLOAD', { topic: 'fjc.deploy.actions', contractError: 'ActionRequested v1: ✖ expected string\n  → at payload.actionId' })).toBe(
      'The event payload does not match its schema: ActionRequested v1: ✖ expected string → at payload.actionId',
    );
    expect(deadLetterReason('FJC_DLQ_INVALID', { topic: 'fjc.x', contractError: 'x'.repeat(2000) }).length).toBeLessThan(600);
  });

  it('drops the JSON parser\'s text, which quotes the message', () => {
    expect(deadLetterReason('FJC_DLQ_NOT_JSON', { topic: 't', contractError: 'not JSON: Unexpected token h in "this is {not json"' })).toBe(
      'The message value is not JSON (or is empty), so it cannot be read.',
    );
  });
});

describe('fjcCodeOf', () => {
  it.each([
    [Object.assign(new Error('x'), { code: 'FJC_FLINK_PROGRAM_INVALID' }), 'FJC_FLINK_PROGRAM_INVALID'],
    [Object.assign(new Error('x'), { code: '22P02' }), undefined],
    [new Error('FJC_EVENT_INVALID_PAYLOAD: JobObserved: bad'), 'FJC_EVENT_INVALID_PAYLOAD'],
    [new Error('connect ECONNREFUSED 127.0.0.1:5432'), undefined],
    ['FJC_FLINK_UNREACHABLE: connect ECONNREFUSED', 'FJC_FLINK_UNREACHABLE'],
    [42, undefined],
  ])('%p -> %p', (err, code) => {
    expect(fjcCodeOf(err)).toBe(code);
  });
});
