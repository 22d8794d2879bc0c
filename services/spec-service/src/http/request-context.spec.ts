import { commandRequestOf } from './request-context';

const newId = () => 'generated-id';

describe('commandRequestOf', () => {
  it('defaults to an anonymous user and a new correlation id', () => {
    expect(commandRequestOf({}, newId)).toEqual({
      ok: true,
      correlationId: 'generated-id',
      context: { source: 'http', cause: { actor: { kind: 'user', id: 'anonymous' }, correlationId: 'generated-id', causationId: null } },
    });
  });

  it('takes actor, correlation id and a valid traceparent from the headers', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const request = commandRequestOf({ 'x-fjc-actor': 'ann', 'x-correlation-id': 'c-42', traceparent }, newId);
    expect(request).toMatchObject({ ok: true, context: { cause: { actor: { kind: 'user', id: 'ann' }, correlationId: 'c-42', traceparent } } });
  });

  it('drops a malformed traceparent', () => {
    const request = commandRequestOf({ traceparent: 'nonsense' }, newId);
    expect(request.ok && 'traceparent' in request.context.cause).toBe(false);
  });

  it.each([
    ['3', 3],
    ['"3"', 3],
    ['W/"12"', 12],
  ])('reads If-Match %s as version %d', (header, version) => {
    expect(commandRequestOf({ 'if-match': header }, newId)).toMatchObject({ ok: true, expectedVersion: version });
  });

  it.each(['abc', '"0"', '*'])('refuses If-Match %s, naming the header', (header) => {
    expect(commandRequestOf({ 'if-match': header }, newId)).toEqual({
      ok: false,
      errors: [expect.objectContaining({ code: 'FJC_INVALID_REQUEST', path: 'If-Match' })],
    });
  });
});
