import { PAYLOAD_SAMPLES, SAMPLE_SPEC, envelope } from '../testing/message-samples';
import { DeployerActionSchema } from './action-events';
import { DeadLetterSchema } from './dead-letter';
import { decodeEvent } from './decode-event';
import { EventEnvelopeSchema } from './envelope';
import { EVENT_CATALOG, EVENT_TYPES, FjcEventSchema, currentEventSchema, type FjcEventType } from './event-catalog';
import { LIFECYCLE_STATES } from './lifecycle-events';

const current = (type: FjcEventType) => envelope(type, PAYLOAD_SAMPLES[type], EVENT_CATALOG[type].currentVersion);

describe('events', () => {
  it.each(EVENT_TYPES)('%s round-trips through its schema and through JSON', (type) => {
    const event = current(type);
    const parsed = currentEventSchema(type).parse(event);
    expect(parsed).toEqual(event);
    expect(FjcEventSchema.parse(JSON.parse(JSON.stringify(parsed)))).toEqual(event);
    expect(decodeEvent(JSON.parse(JSON.stringify(event)))).toEqual({ ok: true, event, writtenVersion: EVENT_CATALOG[type].currentVersion });
  });

  it.each(EVENT_TYPES)('%s is refused with a payload of another type', (type) => {
    const other = EVENT_TYPES.find((t) => t !== type && JSON.stringify(Object.keys(PAYLOAD_SAMPLES[t])) !== JSON.stringify(Object.keys(PAYLOAD_SAMPLES[type])));
    const result = decodeEvent(envelope(type, PAYLOAD_SAMPLES[other ?? type], EVENT_CATALOG[type].currentVersion));
    expect(result).toMatchObject({ ok: false, code: 'FJC_EVENT_INVALID_PAYLOAD' });
  });

  it('has an upcaster for every older version of every event type', () => {
    for (const type of EVENT_TYPES) {
      const { currentVersion, upcasters } = EVENT_CATALOG[type];
      expect([type, upcasters.map((s) => s.from).sort()]).toEqual([type, Array.from({ length: currentVersion - 1 }, (_, i) => i + 1)]);
    }
  });

  it('carries the envelope of DESIGN.md on every event', () => {
    for (const type of EVENT_TYPES) {
      expect(Object.keys(EventEnvelopeSchema.parse(current(type))).sort()).toEqual(
        ['actor', 'causationId', 'correlationId', 'id', 'jobId', 'occurredAt', 'payload', 'producer', 'schemaVersion', 'streamVersion', 'type'],
      );
    }
  });

  it('knows the lifecycle states the design names', () => {
    expect(LIFECYCLE_STATES).toEqual(expect.arrayContaining(['CREATED', 'DEPLOYING', 'RUNNING', 'UPGRADING', 'SUSPENDED', 'FINISHED', 'FAILED', 'DELETED']));
  });

  it('uses samples that cover every type', () => {
    expect(Object.keys(PAYLOAD_SAMPLES).sort()).toEqual([...EVENT_TYPES].sort());
  });
});

describe('upcasting', () => {
  const v1 = { actionId: '7d444840-9dc0-11d1-b245-5ffdce74fad2', kind: 'Deploy', error: 'Could not upload the jar: connection refused' };

  it('reads an ActionFailed of schemaVersion 1 as the current version', () => {
    const old = envelope('ActionFailed', v1, 1);
    const result = decodeEvent(old);
    expect(result).toEqual({
      ok: true,
      writtenVersion: 1,
      event: {
        ...old,
        schemaVersion: 2,
        payload: {
          actionId: v1.actionId,
          kind: 'Deploy',
          error: { code: 'FJC_ACTION_UNCLASSIFIED', message: 'Could not upload the jar: connection refused', retryable: false },
        },
      },
    });
  });

  it('refuses a version 1 payload that was not valid even then', () => {
    const result = decodeEvent(envelope('ActionFailed', { ...v1, error: '' }, 1));
    expect(result).toMatchObject({ ok: false, code: 'FJC_EVENT_INVALID_PAYLOAD', message: expect.stringContaining('version 1') });
  });

  it('refuses a version it does not know yet instead of guessing', () => {
    const result = decodeEvent(envelope('SpecUpdated', PAYLOAD_SAMPLES.SpecUpdated, 2));
    expect(result).toMatchObject({ ok: false, code: 'FJC_EVENT_NEWER_SCHEMA_VERSION' });
  });

  it('refuses an unknown event type, a broken envelope and an event on the wrong topic', () => {
    expect(decodeEvent(envelope('SpecUpdated', {}, 1) && { ...envelope('SpecUpdated', {}, 1), type: 'SpecChanged' })).toMatchObject({
      ok: false,
      code: 'FJC_EVENT_UNKNOWN_TYPE',
    });
    expect(decodeEvent({ type: 'SpecUpdated' })).toMatchObject({ ok: false, code: 'FJC_EVENT_INVALID_ENVELOPE' });
    expect(decodeEvent('not an object')).toMatchObject({ ok: false, code: 'FJC_EVENT_INVALID_ENVELOPE' });
    expect(decodeEvent(current('ScheduleTick'), { topic: 'specEvents' })).toMatchObject({ ok: false, code: 'FJC_EVENT_WRONG_TOPIC' });
    expect(decodeEvent(current('ScheduleTick'), { topic: 'scheduleTicks' })).toMatchObject({ ok: true });
  });

  it('refuses an envelope whose time is not UTC', () => {
    expect(decodeEvent({ ...current('ActionStarted'), occurredAt: '2025-03-30T02:00:00+02:00' })).toMatchObject({
      ok: false,
      code: 'FJC_EVENT_INVALID_ENVELOPE',
    });
  });
});

describe('deployer actions', () => {
  const job = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const trigger = '00112233445566778899aabbccddeeff';
  const actions = [
    { kind: 'Deploy', flinkJobId: job, specVersion: 1, spec: SAMPLE_SPEC },
    { kind: 'Deploy', flinkJobId: job, specVersion: 2, spec: SAMPLE_SPEC, restoreFrom: { kind: 'checkpoint', path: 'file:/cp/chk-9' } },
    { kind: 'Upgrade', fromFlinkJobId: job, flinkJobId: trigger, specVersion: 2, spec: SAMPLE_SPEC, upgradeMode: 'stateless' },
    { kind: 'Stop', flinkJobId: job, withSavepoint: true, triggerId: trigger, drain: false },
    { kind: 'Stop', flinkJobId: job, withSavepoint: false, drain: true },
    { kind: 'Cancel', flinkJobId: job },
    { kind: 'TriggerSavepoint', flinkJobId: job, triggerId: trigger, targetDirectory: 'file:///sp' },
    { kind: 'DisposeSavepoint', path: 'file:/sp/savepoint-a1b2c3-0123456789ab', triggerId: trigger },
    { kind: 'CleanUp', flinkJobIds: [job, trigger], reason: 'max_runs' },
  ];

  it.each(actions.map((a) => [a.kind, a]))('%s round-trips', (_kind, action) => {
    expect(DeployerActionSchema.parse(JSON.parse(JSON.stringify(action)))).toEqual(action);
  });

  it.each([
    ['a savepoint upgrade without its triggerId', { kind: 'Upgrade', fromFlinkJobId: job, flinkJobId: trigger, specVersion: 2, spec: SAMPLE_SPEC, upgradeMode: 'savepoint' }, 'savepointTriggerId'],
    ['an upgrade that reuses the Flink job id', { kind: 'Upgrade', fromFlinkJobId: job, flinkJobId: job, specVersion: 2, spec: SAMPLE_SPEC, upgradeMode: 'stateless' }, 'flinkJobId'],
    ['a stop with savepoint without its triggerId', { kind: 'Stop', flinkJobId: job, withSavepoint: true }, 'triggerId'],
    ['a Flink job id that is not 32 hex digits', { kind: 'Cancel', flinkJobId: 'job-1' }, 'flinkJobId'],
    ['an unknown kind', { kind: 'Rescale', flinkJobId: job }, 'kind'],
    ['a disposal without a path', { kind: 'DisposeSavepoint', path: '', triggerId: trigger }, 'path'],
    ['a clean-up of no run', { kind: 'CleanUp', flinkJobIds: [], reason: 'max_runs' }, 'flinkJobIds'],
    ['a clean-up for another reason', { kind: 'CleanUp', flinkJobIds: [job], reason: 'deleted' }, 'reason'],
  ])('refuses %s', (_name, action, path) => {
    const result = DeployerActionSchema.safeParse(action);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual([path]);
  });
});

describe('observations and results added for issue 13', () => {
  const job = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const action = '7d444840-9dc0-11d1-b245-5ffdce74fad2';

  it('reads a JobObserved of before restarts, checkpoints and recordsOutPerSecond', () => {
    const old = { flinkJobId: job, flinkState: 'RUNNING' };
    expect(currentEventSchema('JobObserved').parse(envelope('JobObserved', old, 1))).toMatchObject({ payload: old });
  });

  it('refuses a negative restart count and checkpoint counts without a field', () => {
    const schema = currentEventSchema('JobObserved');
    expect(schema.safeParse(envelope('JobObserved', { flinkJobId: job, flinkState: 'RESTARTING', restarts: -1 }, 1)).success).toBe(false);
    expect(schema.safeParse(envelope('JobObserved', { flinkJobId: job, flinkState: 'RUNNING', checkpoints: { completed: 1, failed: 0 } }, 1)).success).toBe(false);
  });

  it('has a DisposeSavepoint success without a Flink job, and still requires one for the others', () => {
    const schema = currentEventSchema('ActionSucceeded');
    expect(schema.safeParse(envelope('ActionSucceeded', { actionId: action, kind: 'DisposeSavepoint', path: 'file:/sp/savepoint-1' }, 1)).success).toBe(true);
    expect(schema.safeParse(envelope('ActionSucceeded', { actionId: action, kind: 'Deploy', path: 'file:/sp/savepoint-1' }, 1)).success).toBe(false);
    expect(schema.safeParse(envelope('ActionSucceeded', { actionId: action, kind: 'DisposeSavepoint', flinkJobId: job, path: 'x' }, 1)).success).toBe(false);
  });

  it('has a CleanUp success that counts the jars deleted and the runs pruned, without a Flink job', () => {
    const schema = currentEventSchema('ActionSucceeded');
    expect(schema.safeParse(envelope('ActionSucceeded', { actionId: action, kind: 'CleanUp', jarsDeleted: 1, runsPruned: 2 }, 1)).success).toBe(true);
    expect(schema.safeParse(envelope('ActionSucceeded', { actionId: action, kind: 'CleanUp', flinkJobId: job, jarsDeleted: 1, runsPruned: 2 }, 1)).success).toBe(false);
    expect(schema.safeParse(envelope('ActionSucceeded', { actionId: action, kind: 'CleanUp', jarsDeleted: -1, runsPruned: 0 }, 1)).success).toBe(false);
    expect(currentEventSchema('ActionStarted').safeParse(envelope('ActionStarted', { actionId: action, kind: 'CleanUp', attempt: 1 }, 1)).success).toBe(true);
  });

  it('publishes JobExceptionObserved on the observations topic', () => {
    expect(EVENT_CATALOG.JobExceptionObserved.topic).toBe('jobObservations');
  });
});

describe('dead letters', () => {
  it('round-trip', () => {
    const letter = {
      code: 'FJC_DLQ_NOT_JSON',
      reason: 'Unexpected token } in JSON at position 12',
      sourceTopic: 'fjc.spec.commands',
      partition: 0,
      offset: '1042',
      key: 'orders-enricher',
      value: '{"commandId": }',
      receivedAt: '2025-03-30T00:00:00.000Z',
      consumer: 'spec-service',
    };
    expect(DeadLetterSchema.parse(JSON.parse(JSON.stringify(letter)))).toEqual(letter);
  });
});
