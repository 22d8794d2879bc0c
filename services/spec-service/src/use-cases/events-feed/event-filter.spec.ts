import { eventCondition, eventFilterOf, eventMatches } from './event-filter';

describe('event filter', () => {
  it('narrows the asked namespaces to the visible ones; asked none: all visible ones', () => {
    expect(eventFilterOf({ namespace: ['a', 'b'] }, ['b', 'c']).namespaces).toEqual(['b']);
    expect(eventFilterOf({}, ['b', 'c']).namespaces).toEqual(['b', 'c']);
    expect(eventFilterOf({ namespace: ['a'] }, '*').namespaces).toEqual(['a']);
    expect(eventFilterOf({}, '*').namespaces).toBeNull();
  });

  it.each([
    [{}, '*', { jobId: 'j', type: 'T' }, undefined, true],
    [{}, ['a'], { jobId: 'j', type: 'T' }, undefined, false],
    [{}, ['a'], { jobId: 'j', type: 'T' }, 'a', true],
    [{}, ['a'], { jobId: 'j', type: 'T' }, 'b', false],
    [{ jobId: ['k'] }, '*', { jobId: 'j', type: 'T' }, 'a', false],
    [{ type: ['T', 'U'] }, '*', { jobId: 'j', type: 'U' }, 'a', true],
    [{ namespace: ['b'] }, ['a'], { jobId: 'j', type: 'T' }, 'b', false],
  ] as const)('%j seen by %j: %j in %s -> %s', (asked, visible, event, namespace, expected) => {
    expect(eventMatches(eventFilterOf(asked, visible), event, namespace)).toBe(expected);
  });

  it('is no SQL condition at all without filters, else one placeholder per list', () => {
    expect(eventCondition(eventFilterOf({}, '*'))).toBeNull();
    const values: unknown[] = [];
    const sql = eventCondition(eventFilterOf({ jobId: ['j'], type: ['T'] }, ['a']))?.((v) => `$${values.push(v)}`);
    expect(sql).toBe("e.job_id = any($1::text[]) and e.type = any($2::text[]) and e.job_id in (select job_id from job_specs where spec->>'namespace' = any($3::text[]))");
    expect(values).toEqual([['j'], ['T'], ['a']]);
  });
});
