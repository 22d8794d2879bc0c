import type { GrantView } from '@fjc/contracts';
import { allowedActions, describeGrants, mayApplySomewhere } from './roles';

const teamA = { namespace: 'team-a', cluster: 'default' };

describe('allowedActions', () => {
  it.each<[string, GrantView[], string[]]>([
    ['a viewer: nothing', [{ role: 'viewer', namespace: '*' }], []],
    ['an operator: everything but delete', [{ role: 'operator', namespace: 'team-a' }], ['suspend', 'resume', 'rollback', 'savepoint', 'apply']],
    ['an admin: everything', [{ role: 'admin', namespace: '*' }], ['suspend', 'resume', 'rollback', 'savepoint', 'delete', 'apply']],
    ['an operator of another namespace: nothing', [{ role: 'operator', namespace: 'team-b' }], []],
    ['an operator limited to another cluster: no apply', [{ role: 'operator', namespace: 'team-a', clusters: ['analytics'] }], ['suspend', 'resume', 'rollback', 'savepoint']],
    ['viewer here, operator everywhere: the higher role wins', [{ role: 'viewer', namespace: 'team-a' }, { role: 'operator', namespace: '*' }], ['suspend', 'resume', 'rollback', 'savepoint', 'apply']],
  ])('%s', (_, grants, expected) => {
    expect([...allowedActions(grants, teamA)].sort()).toEqual([...expected].sort());
  });
});

describe('mayApplySomewhere', () => {
  it('is false for viewers only, true with any operator or admin grant', () => {
    expect(mayApplySomewhere([{ role: 'viewer', namespace: '*' }])).toBe(false);
    expect(mayApplySomewhere([])).toBe(false);
    expect(mayApplySomewhere([{ role: 'viewer', namespace: '*' }, { role: 'operator', namespace: 'team-a' }])).toBe(true);
  });
});

describe('describeGrants', () => {
  it('says each role and where', () => {
    expect(describeGrants([{ role: 'admin', namespace: '*' }, { role: 'operator', namespace: 'team-a', clusters: ['default'] }])).toBe(
      'admin in every namespace, operator in team-a (clusters default)',
    );
    expect(describeGrants([])).toBe('no roles');
  });
});
