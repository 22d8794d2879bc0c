import { ancestorsOf, downstreamOf, findCycle, topologicalOrder } from './stage-graph';

const diamond = [
  { name: 'load', depends_on: ['clean', 'enrich'] },
  { name: 'clean', depends_on: ['extract'] },
  { name: 'enrich', depends_on: ['extract'] },
  { name: 'extract', depends_on: [] },
];

describe('stage graph', () => {
  it('orders a diamond so each stage follows what it depends on', () => {
    expect(topologicalOrder(diamond)).toEqual(['extract', 'clean', 'enrich', 'load']);
  });
  it('finds ancestors and downstream stages', () => {
    expect([...ancestorsOf(diamond, 'load')].sort()).toEqual(['clean', 'enrich', 'extract']);
    expect([...downstreamOf(diamond, 'clean')].sort()).toEqual(['clean', 'load']);
    expect([...downstreamOf(diamond, 'extract')].sort()).toEqual(['clean', 'enrich', 'extract', 'load']);
  });
  it('finds no cycle in a diamond, and the cycle in a loop', () => {
    expect(findCycle(diamond)).toBeNull();
    expect(findCycle([{ name: 'a', depends_on: ['b'] }, { name: 'b', depends_on: ['a'] }])).toEqual(['a', 'b', 'a']);
    expect(() => topologicalOrder([{ name: 'a', depends_on: ['a'] }])).toThrow('stage graph has a cycle: a -> a');
  });
});
