import { decodeMessage, type MessageParser } from './decode-message';

const needsId: MessageParser = (v) => {
  const id = (v as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? { ok: true, value: v, id } : { ok: false, error: 'id is required' };
};
const coded: MessageParser = () => ({ ok: false, error: 'FJC_DLQ_NO_COMMAND_ID: the message has no commandId' });

describe('decodeMessage', () => {
  it('passes valid JSON through the parser with its dedupe id', () => {
    expect(decodeMessage('{"id":"a","x":1}', needsId)).toEqual({ ok: true, value: { id: 'a', x: 1 }, id: 'a' });
  });

  it.each([
    ['text that is not JSON', 'this is {not json', needsId, 'FJC_DLQ_NOT_JSON'],
    ['an empty value (tombstone)', null, needsId, 'FJC_DLQ_NOT_JSON'],
    ['a value its schema refuses', '{"x":1}', needsId, 'FJC_DLQ_INVALID'],
    ['a topic without a parser', '{"id":"a"}', undefined, 'FJC_DLQ_NO_HANDLER'],
    ['a parser error that carries its own code', '{}', coded, 'FJC_DLQ_NO_COMMAND_ID'],
  ] as const)('sends %s to the DLQ with its code', (_what, raw, parser, code) => {
    expect(decodeMessage(raw, parser)).toMatchObject({ ok: false, code });
  });

  it('keeps the reason readable', () => {
    expect(decodeMessage('{"x":1}', needsId)).toEqual({ ok: false, code: 'FJC_DLQ_INVALID', error: 'id is required' });
  });
});
