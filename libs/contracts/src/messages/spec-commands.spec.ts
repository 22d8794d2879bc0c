import { SpecCommandResultSchema, SpecCommandSchema } from './spec-commands';
import { validateSpecCommand } from './validate-command';

const commandId = '3b241101-e2bb-4255-8caf-4136c566a962';

describe('upstream commands', () => {
  const commands = [
    { commandId, type: 'ApplySpec', jobId: 'orders', spec: { job_id: 'orders', job_type: 'stream' }, expectedVersion: 3, actor: { kind: 'upstream', id: 'ci' } },
    { commandId, type: 'ApplySpec', jobId: 'orders', spec: {} },
    { commandId, type: 'DeleteJob', jobId: 'orders' },
    { commandId, type: 'SuspendJob', jobId: 'orders', expectedVersion: 1 },
    { commandId, type: 'ResumeJob', jobId: 'orders' },
    { commandId, type: 'RollbackJob', jobId: 'orders', toVersion: 2 },
    { commandId, type: 'RecoverJob', jobId: 'orders', from: { kind: 'empty-state' }, actor: { kind: 'upstream', id: 'ops-portal' } },
    { commandId, type: 'RecoverJob', jobId: 'orders', from: { kind: 'savepoint', path: 'file:///sp/savepoint-1' } },
  ];

  it.each(commands.map((c) => [c.type, c]))('%s round-trips', (_type, command) => {
    expect(SpecCommandSchema.parse(JSON.parse(JSON.stringify(command)))).toEqual(command);
    expect(validateSpecCommand(command)).toEqual({ ok: true, command });
  });

  it.each([
    ['ApplySpec without a spec', { commandId, type: 'ApplySpec', jobId: 'orders' }, [['spec', 'FJC_SPEC_REQUIRED']]],
    ['RollbackJob without toVersion', { commandId, type: 'RollbackJob', jobId: 'orders' }, [['toVersion', 'FJC_SPEC_REQUIRED']]],
    ['RecoverJob without a decision', { commandId, type: 'RecoverJob', jobId: 'orders' }, [['from', 'FJC_SPEC_REQUIRED']]],
    ['a command id that is not a uuid', { commandId: 'c-1', type: 'DeleteJob', jobId: 'orders' }, [['commandId', 'FJC_SPEC_INVALID_FORMAT']]],
    ['a job id with capitals', { commandId, type: 'DeleteJob', jobId: 'Orders' }, [['jobId', 'FJC_SPEC_INVALID_FORMAT']]],
    ['version 0', { commandId, type: 'SuspendJob', jobId: 'orders', expectedVersion: 0 }, [['expectedVersion', 'FJC_SPEC_OUT_OF_RANGE']]],
    ['a misspelt field', { commandId, type: 'SuspendJob', jobId: 'orders', expected_version: 2 }, [['expected_version', 'FJC_SPEC_UNKNOWN_FIELD']]],
    ['a spec on a DeleteJob', { commandId, type: 'DeleteJob', jobId: 'orders', spec: {} }, [['spec', 'FJC_SPEC_UNKNOWN_FIELD']]],
    ['no type', { commandId, jobId: 'orders' }, [['type', 'FJC_SPEC_REQUIRED']]],
    ['an unknown type', { commandId, type: 'ApplySpek', jobId: 'orders' }, [['type', 'FJC_SPEC_INVALID_VALUE']]],
    ['an unknown actor kind', { commandId, type: 'ResumeJob', jobId: 'orders', actor: { kind: 'robot', id: 'x' } }, [['actor.kind', 'FJC_SPEC_INVALID_VALUE']]],
  ])('rejects %s, naming the field', (_name, input, expected) => {
    const result = validateSpecCommand(input);
    expect(result.ok ? [] : result.errors.map((e) => [e.path, e.code])).toEqual(expected);
  });

  it('suggests the field or type meant', () => {
    const misspelt = validateSpecCommand({ commandId, type: 'SuspendJob', jobId: 'orders', expected_version: 2 });
    const unknownType = validateSpecCommand({ commandId, type: 'ApplySpek', jobId: 'orders' });
    expect(!misspelt.ok && misspelt.errors[0].message).toBe('is not a known field; did you mean "expectedVersion"?');
    expect(!unknownType.ok && unknownType.errors[0].message).toContain('did you mean "ApplySpec"?');
  });
});

describe('command results', () => {
  const results = [
    { commandId, jobId: 'orders', status: 'accepted', version: 4 },
    { commandId, jobId: 'orders', status: 'unchanged', version: 3 },
    { commandId, jobId: 'orders', status: 'rejected', errors: [{ path: 'deployment.parallelism', message: 'must be at least 1, got 0', code: 'FJC_SPEC_OUT_OF_RANGE' }] },
    { commandId, jobId: 'orders', status: 'rejected', errors: [{ path: '', message: 'version conflict: expected 3, current 4' }] },
  ];

  it.each(results.map((r) => [r.status, r]))('%s round-trips', (_status, result) => {
    expect(SpecCommandResultSchema.parse(JSON.parse(JSON.stringify(result)))).toEqual(result);
  });

  it('carries a malformed commandId as sent, in the rejection that names it', () => {
    const result = { commandId: 'not-a-uuid', jobId: 'orders', status: 'rejected', errors: [{ path: 'commandId', message: 'must be a UUID', code: 'FJC_SPEC_INVALID_FORMAT' }] };
    expect(SpecCommandResultSchema.parse(result)).toEqual(result);
    expect(SpecCommandResultSchema.safeParse({ ...result, commandId: '' }).success).toBe(false);
  });

  it('refuses a rejection without errors', () => {
    expect(SpecCommandResultSchema.safeParse({ commandId, jobId: 'orders', status: 'rejected' }).success).toBe(false);
  });
});
