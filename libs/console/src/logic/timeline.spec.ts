import type { LoggedEvent } from '@fjc/contracts';
import { actorLabel, timelineOf } from './timeline';

const token = { kind: 'service' as const, id: 'token:ci', issuer: 'fjc:api-token', subject: 'token:ci', name: 'ci' };
const deployer = { kind: 'service' as const, id: 'deployer' };
const TRACE = 'a'.repeat(32);

function event(position: string, type: string, payload: unknown, extra: Partial<LoggedEvent> = {}): LoggedEvent {
  return {
    id: `00000000-0000-4000-8000-${position.padStart(12, '0')}`,
    schemaVersion: 1,
    jobId: 'orders',
    streamVersion: 1,
    occurredAt: `2026-01-01T00:00:${position.padStart(2, '0')}.000Z`,
    producer: 'test',
    actor: token,
    correlationId: 'corr-1',
    causationId: null,
    type,
    payload,
    position,
    streamId: 'spec-orders',
    ...extra,
  } as LoggedEvent;
}

describe('timelineOf', () => {
  it('orders by log position as numbers, with actor, trace id and a summary', () => {
    const rows = timelineOf([
      event('10', 'LifecycleChanged', { from: 'DEPLOYING', to: 'RUNNING', reason: 'JobObserved' }, { actor: deployer }),
      event('9', 'ActionRequested', { cluster: 'default', action: { kind: 'Deploy' } }, { traceId: TRACE }),
      event('2', 'SpecUpdated', { version: 1, warnings: [] }),
    ]);
    expect(rows.map((r) => [r.position, r.type, r.actor, r.traceId, r.summary])).toEqual([
      ['2', 'SpecUpdated', 'ci', null, 'version 1'],
      ['9', 'ActionRequested', 'ci', TRACE, 'Deploy on default'],
      ['10', 'LifecycleChanged', 'deployer', null, 'DEPLOYING → RUNNING: JobObserved'],
    ]);
  });

  it('compares positions beyond 2^53 exactly', () => {
    const rows = timelineOf([event('9007199254740993', 'B', {}), event('9007199254740992', 'A', {})]);
    expect(rows.map((r) => r.type)).toEqual(['A', 'B']);
  });

  it('says what a rollback went back to', () => {
    expect(timelineOf([event('1', 'JobRolledBack', { version: 3, fromVersion: 2, toVersion: 1 })])[0].summary).toBe('version 3: back to version 1');
  });
});

describe('actorLabel', () => {
  it('names the actor, and whom it acted through', () => {
    expect(actorLabel(token)).toBe('ci');
    expect(actorLabel({ kind: 'user', id: 'alice', subject: 'alice', via: { kind: 'service', id: 'gw', subject: 'api-gateway' } })).toBe('alice via api-gateway');
  });
});
