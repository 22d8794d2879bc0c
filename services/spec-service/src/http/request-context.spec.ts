import type { Principal } from '../auth/principal';
import { commandRequestOf as requestOf } from './request-context';

const newId = () => 'generated-id';
const alice: Principal = { kind: 'user', issuer: 'https://idp.test', subject: 'alice', name: 'Alice', groups: [], grants: [], mayImpersonate: false };
const aliceActor = { kind: 'user', id: 'alice', issuer: 'https://idp.test', subject: 'alice', name: 'Alice' };
const commandRequestOf = (headers: Record<string, string>, ids: () => string) => requestOf(headers, alice, ids);

describe('commandRequestOf', () => {
  it('records the authenticated principal as the actor, with a new correlation id', () => {
    expect(commandRequestOf({}, newId)).toEqual({
      ok: true,
      correlationId: 'generated-id',
      context: { source: 'http', principal: alice, cause: { actor: aliceActor, correlationId: 'generated-id', causationId: null } },
    });
  });

  it('takes correlation id and a valid traceparent from the headers, but never the actor', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const request = commandRequestOf({ 'x-fjc-actor': 'ann', 'x-correlation-id': 'c-42', traceparent }, newId);
    expect(request).toMatchObject({ ok: true, context: { cause: { actor: aliceActor, correlationId: 'c-42', traceparent } } });
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
