import { specHash } from '@fjc/contracts';
import { JOB, deleted, given, specOf, suspended, updated } from '../../testing/spec-stream-fixtures';
import type { Decision } from '../../spec-stream/decision';
import type { SpecStream } from '../../spec-stream/spec-stream';
import { decideApplySpec, type ApplySpecCommand } from './decide-apply-spec';

const v1 = specOf();
const v2 = specOf({ deployment: { parallelism: 2 } });
const apply = (spec = v1, extra: Partial<ApplySpecCommand> = {}): ApplySpecCommand => ({ jobId: JOB, spec, warnings: [], ...extra });

type Then = { kind: Decision['kind']; version?: number; types?: string[]; code?: string; path?: string };

function summary(decision: Decision): Then {
  if (decision.kind === 'rejected') return { kind: 'rejected', code: decision.errors[0].code, path: decision.errors[0].path };
  if (decision.kind === 'unchanged') return { kind: 'unchanged', version: decision.version };
  return { kind: 'append', version: decision.version, types: decision.events.map((e) => e.type) };
}

describe('decideApplySpec', () => {
  it.each<[string, SpecStream, ApplySpecCommand, Then]>([
    ['a new job gets version 1', given(), apply(), { kind: 'append', version: 1, types: ['SpecUpdated'] }],
    ['the same spec again changes nothing', given(updated(1, v1)), apply(), { kind: 'unchanged', version: 1 }],
    [
      'the same spec written differently (defaults spelt out) changes nothing',
      given(updated(1, v1)),
      apply(specOf({ state: 'running', deployment: { parallelism: 1 } })),
      { kind: 'unchanged', version: 1 },
    ],
    ['a changed parallelism is version 2', given(updated(1, v1)), apply(v2), { kind: 'append', version: 2, types: ['SpecUpdated'] }],
    ['the running spec after a suspend is a new version', given(updated(1), suspended(2)), apply(), { kind: 'append', version: 3, types: ['SpecUpdated'] }],
    ['If-Match of the current version passes', given(updated(1)), apply(v2, { expectedVersion: 1 }), { kind: 'append', version: 2, types: ['SpecUpdated'] }],
    ['a stale If-Match is a conflict', given(updated(1), updated(2, v2)), apply(v1, { expectedVersion: 1 }), { kind: 'rejected', code: 'FJC_VERSION_CONFLICT', path: 'expectedVersion' }],
    ['If-Match on a job that does not exist is a conflict', given(), apply(v1, { expectedVersion: 1 }), { kind: 'rejected', code: 'FJC_VERSION_CONFLICT', path: 'expectedVersion' }],
    ['a spec naming another job is refused, naming job_id', given(), apply(v1, { jobId: 'other-job' }), { kind: 'rejected', code: 'FJC_JOB_ID_MISMATCH', path: 'job_id' }],
    [
      'a new job named template-<x> is refused, naming job_id: template events carry that jobId',
      { ...given(), jobId: 'template-orders' },
      apply(specOf({ job_id: 'template-orders' }), { jobId: 'template-orders' }),
      { kind: 'rejected', code: 'FJC_JOB_ID_RESERVED', path: 'job_id' },
    ],
    [
      'a job of that name recorded before the rule may still change',
      { ...given(updated(1, specOf({ job_id: 'template-orders' }))), jobId: 'template-orders' },
      apply(specOf({ job_id: 'template-orders', deployment: { parallelism: 2 } }), { jobId: 'template-orders' }),
      { kind: 'append', version: 2, types: ['SpecUpdated'] },
    ],
    ['a name that only contains "template" is free', given(), apply(specOf({ job_id: 'my-template-job' }), { jobId: 'my-template-job' }), { kind: 'append', version: 1, types: ['SpecUpdated'] }],
    ['a deleted job is created again by a new spec', given(updated(1), deleted(1)), apply(v2), { kind: 'append', version: 2, types: ['SpecUpdated'] }],
    ['...and by its last spec: a new version all the same', given(updated(1, v1), deleted(1)), apply(v1), { kind: 'append', version: 2, types: ['SpecUpdated'] }],
    ['a stale If-Match on a deleted job is a conflict', given(updated(1), deleted(1)), apply(v1, { expectedVersion: 3 }), { kind: 'rejected', code: 'FJC_VERSION_CONFLICT', path: 'expectedVersion' }],
  ])('%s', (_name, stream, command, then) => {
    expect(summary(decideApplySpec(stream, command))).toEqual(then);
  });

  it('records the canonical spec, its hash and the warnings', () => {
    const warnings = [{ path: 'resources.memory', code: 'FJC_SPEC_CLUSTER_LEVEL' as const, message: 'has no effect' }];
    const decision = decideApplySpec(given(), apply(v2, { warnings }));
    expect(decision).toEqual({
      kind: 'append',
      version: 1,
      events: [{ type: 'SpecUpdated', payload: { version: 1, specHash: specHash(v2), spec: v2, warnings } }],
    });
  });
});

describe('decideApplySpec with a template use', () => {
  const use = (version: number) => ({ name: 'stream-base', version, params: {}, fields: { job_id: JOB } });
  const fromTemplate = (version: number) => given(decisionEvent(decideApplySpec(given(), apply(v1, { template: use(version) }))));

  it('records the template use with the version', () => {
    const decision = decideApplySpec(given(), apply(v1, { template: use(1) }));
    expect(decision.kind === 'append' && decision.events[0].payload).toMatchObject({ version: 1, template: use(1) });
  });

  it.each<[string, ApplySpecCommand, Then]>([
    ['the same spec from the same template use changes nothing', apply(v1, { template: use(1) }), { kind: 'unchanged', version: 1 }],
    ['the same spec from another template version is a new version, so the log says which template the job follows', apply(v1, { template: use(2) }), { kind: 'append', version: 2, types: ['SpecUpdated'] }],
    ['the same spec written whole is a new version without a template', apply(v1), { kind: 'append', version: 2, types: ['SpecUpdated'] }],
  ])('%s', (_, command, then) => {
    expect(summary(decideApplySpec(fromTemplate(1), command))).toEqual(then);
  });
});

function decisionEvent(decision: Decision) {
  if (decision.kind !== 'append') throw new Error('expected an append');
  return decision.events[0] as Parameters<typeof given>[0];
}
