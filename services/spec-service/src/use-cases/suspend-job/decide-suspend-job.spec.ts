import { canonicalSpec, specHash } from '@fjc/contracts';
import { deleted, given, specOf, suspended, updated } from '../../testing/spec-stream-fixtures';
import type { SpecStream } from '../../spec-stream/spec-stream';
import type { Decision } from '../../spec-stream/decision';
import { decideSuspendJob, type SuspendJobCommand } from './decide-suspend-job';

const running = specOf({ deployment: { parallelism: 3 } });
const asSuspended = canonicalSpec({ ...running, state: 'suspended' });

describe('decideSuspendJob', () => {
  it.each<[string, SpecStream, SuspendJobCommand, Decision]>([
    [
      'a running job: a new version equal to the current one but suspended',
      given(updated(1, running)),
      { reason: 'maintenance' },
      {
        kind: 'append',
        version: 2,
        events: [{ type: 'JobSuspendRequested', payload: { version: 2, specHash: specHash(asSuspended), spec: asSuspended, reason: 'maintenance' } }],
      },
    ],
    ['an already suspended job: nothing to do', given(updated(1, running), suspended(2, running)), {}, { kind: 'unchanged', version: 2 }],
    ['an unknown job', given(), {}, { kind: 'rejected', errors: [expect.objectContaining({ code: 'FJC_JOB_NOT_FOUND' })] }],
    ['a deleted job', given(updated(1), deleted(1)), {}, { kind: 'rejected', errors: [expect.objectContaining({ code: 'FJC_JOB_DELETED' })] }],
    ['a stale expected version', given(updated(1), updated(2, running)), { expectedVersion: 1 }, { kind: 'rejected', errors: [expect.objectContaining({ code: 'FJC_VERSION_CONFLICT' })] }],
  ])('%s', (_name, stream, command, then) => {
    expect(decideSuspendJob(stream, command)).toEqual(then);
  });
});
