// Who may run which command where: a table of callers, commands and namespaces.
import { authConfigFromEnv } from './auth-config';
import { refusalOf } from './job-access';
import { actorOf, visibleNamespaces, type Grant, type Principal } from './principal';

const who = (...grants: Grant[]): Principal => ({ kind: 'user', issuer: 'https://idp.test', subject: 's', groups: [], grants, mayImpersonate: false });
const viewerA = who({ role: 'viewer', namespace: 'a' });
const operatorA = who({ role: 'operator', namespace: 'a' });
const operatorAB = who({ role: 'operator', namespace: 'a' }, { role: 'operator', namespace: 'b' });
const viewerBOperatorA = who({ role: 'operator', namespace: 'a' }, { role: 'viewer', namespace: 'b' });
const adminAll = who({ role: 'admin', namespace: '*' });
const operatorADefaultCluster = who({ role: 'operator', namespace: 'a', clusters: ['default'] });
const inA = { namespace: 'a', cluster: 'default' };
const inB = { namespace: 'b', cluster: 'default' };

describe('refusalOf', () => {
  it.each<[string, Principal, string, typeof inA | null, typeof inA | undefined, string | null]>([
    ['viewer applies in A', viewerA, 'apply', inA, inA, 'FJC_FORBIDDEN'],
    ['viewer creates in A', viewerA, 'apply', null, inA, 'FJC_FORBIDDEN'],
    ['operator applies in A', operatorA, 'apply', inA, inA, null],
    ['operator creates in A', operatorA, 'apply', null, inA, null],
    ['operator of A suspends a job of B', operatorA, 'suspend', inB, undefined, 'FJC_JOB_NOT_FOUND'],
    ['operator of A and viewer of B suspends a job of B', viewerBOperatorA, 'suspend', inB, undefined, 'FJC_FORBIDDEN'],
    ['operator of A moves a job from A to B', operatorA, 'apply', inA, inB, 'FJC_FORBIDDEN'],
    ['operator of A and B moves a job from A to B', operatorAB, 'apply', inA, inB, null],
    ['operator of A takes a job of B into A', viewerBOperatorA, 'apply', inB, inA, 'FJC_FORBIDDEN'],
    ['operator suspends, resumes, rolls back, savepoints, recovers', operatorA, 'rollback', inA, undefined, null],
    ['operator deletes', operatorA, 'delete', inA, undefined, 'FJC_FORBIDDEN'],
    ['admin of * deletes', adminAll, 'delete', inB, undefined, null],
    ['operator limited to cluster default applies on default', operatorADefaultCluster, 'apply', null, inA, null],
    ['operator limited to cluster default applies on big', operatorADefaultCluster, 'apply', null, { namespace: 'a', cluster: 'big' }, 'FJC_FORBIDDEN'],
  ])('%s', (_name, principal, command, current, target, code) => {
    expect(refusalOf(principal, command, 'job', current, target)?.code ?? null).toBe(code);
  });
});

describe('principal', () => {
  it('sees the namespaces of its grants, or all with a "*" grant', () => {
    expect(visibleNamespaces(viewerBOperatorA)).toEqual(['a', 'b']);
    expect(visibleNamespaces(adminAll)).toBe('*');
  });

  it('is recorded with issuer and subject, and with the service that acted for it', () => {
    const service: Principal = { kind: 'service', issuer: 'fjc:api-token', subject: 'token:gw', name: 'gw', tokenId: 't1', groups: [], grants: [], mayImpersonate: true };
    expect(actorOf({ ...operatorA, name: 'Sam', via: service })).toEqual({
      kind: 'user',
      id: 's',
      issuer: 'https://idp.test',
      subject: 's',
      name: 'Sam',
      via: { kind: 'service', id: 'token:gw', issuer: 'fjc:api-token', subject: 'token:gw', name: 'gw', tokenId: 't1' },
    });
  });
});

describe('authConfigFromEnv', () => {
  it('never allows none or HMAC algorithms, and needs an audience with an issuer', () => {
    expect(authConfigFromEnv({ FJC_AUTH_ALGORITHMS: 'RS256,none,HS256,ES256' }).algorithms).toEqual(['RS256', 'ES256']);
    expect(() => authConfigFromEnv({ FJC_AUTH_ISSUER: 'https://idp.test' })).toThrow(/FJC_AUTH_AUDIENCE/);
    expect(authConfigFromEnv({})).toMatchObject({ issuer: null, tokenCacheS: 30, protectMetrics: false });
  });
});
