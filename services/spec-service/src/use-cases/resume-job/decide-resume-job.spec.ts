import { specHash } from '@fjc/contracts';
import { deleted, given, specOf, suspended, updated } from '../../testing/spec-stream-fixtures';
import type { SpecStream } from '../../spec-stream/spec-stream';
import type { Decision } from '../../spec-stream/decision';
import { decideResumeJob, type ResumeJobCommand } from './decide-resume-job';

const running = specOf();

describe('decideResumeJob', () => {
  it.each<[string, SpecStream, ResumeJobCommand, Decision]>([
    [
      'a suspended job: a new version equal to the current one but running',
      given(updated(1, running), suspended(2, running)),
      {},
      { kind: 'append', version: 3, events: [{ type: 'JobResumeRequested', payload: { version: 3, specHash: specHash(running), spec: running } }] },
    ],
    ['a running job: nothing to do', given(updated(1, running)), {}, { kind: 'unchanged', version: 1 }],
    ['an unknown job', given(), {}, { kind: 'rejected', errors: [expect.objectContaining({ code: 'FJC_JOB_NOT_FOUND' })] }],
    ['a deleted job', given(updated(1), suspended(2), deleted(2)), {}, { kind: 'rejected', errors: [expect.objectContaining({ code: 'FJC_JOB_DELETED' })] }],
    ['a stale expected version', given(updated(1), suspended(2)), { expectedVersion: 1 }, { kind: 'rejected', errors: [expect.objectContaining({ code: 'FJC_VERSION_CONFLICT' })] }],
  ])('%s', (_name, stream, command, then) => {
    expect(decideResumeJob(stream, command)).toEqual(then);
  });
});
