import { decodeJobCursor, encodeJobCursor, type JobFilters } from './job-cursor';

const none: JobFilters = { namespaces: null, states: null, selector: null, text: null, includeDeleted: false };

describe('job cursor', () => {
  it('round-trips the last job id under the same filters, lists in any order', () => {
    const filters: JobFilters = { ...none, namespaces: ['a', 'b'], states: ['RUNNING'], selector: 'team=x' };
    const cursor = encodeJobCursor('orders-7', filters);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeJobCursor(cursor, { ...filters, namespaces: ['b', 'a'] })).toEqual({ ok: true, afterJobId: 'orders-7' });
  });

  it.each<[string, Partial<JobFilters>]>([
    ['namespace', { namespaces: ['a'] }],
    ['state', { states: ['RUNNING'] }],
    ['selector', { selector: 'team=y' }],
    ['text', { text: 'ord' }],
    ['includeDeleted', { includeDeleted: true }],
  ])('refuses a cursor made for other filters (%s)', (_, change) => {
    const result = decodeJobCursor(encodeJobCursor('orders-7', none), { ...none, ...change });
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('other filters') });
  });

  it.each([
    'not base64!',
    Buffer.from('{"v":1}').toString('base64url'),
    Buffer.from('{"v":2,"a":"x","f":"y"}').toString('base64url'),
    Buffer.from('{"v":1,"a":"Not An Id","f":"y"}').toString('base64url'),
    Buffer.from('[1,2]').toString('base64url'),
    'abc',
  ])('refuses %j as not a cursor', (cursor) => {
    expect(decodeJobCursor(cursor, none)).toMatchObject({ ok: false, message: expect.stringContaining('not a cursor') });
  });
});
