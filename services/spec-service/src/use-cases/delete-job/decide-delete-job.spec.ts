import { deleted, given, updated } from '../../testing/spec-stream-fixtures';
import type { SpecStream } from '../../spec-stream/spec-stream';
import type { Decision } from '../../spec-stream/decision';
import { decideDeleteJob, type DeleteJobCommand } from './decide-delete-job';

describe('decideDeleteJob', () => {
  it.each<[string, SpecStream, DeleteJobCommand, Decision]>([
    [
      'an existing job: the stream ends at its last version',
      given(updated(1), updated(2)),
      { reason: 'retired' },
      { kind: 'append', version: 2, events: [{ type: 'JobDeleteRequested', payload: { lastVersion: 2, reason: 'retired' } }] },
    ],
    ['a deleted job again: nothing to do', given(updated(1), deleted(1)), {}, { kind: 'unchanged', version: 1 }],
    ['an unknown job', given(), {}, { kind: 'rejected', errors: [expect.objectContaining({ code: 'FJC_JOB_NOT_FOUND' })] }],
    ['a stale expected version', given(updated(1), updated(2)), { expectedVersion: 1 }, { kind: 'rejected', errors: [expect.objectContaining({ code: 'FJC_VERSION_CONFLICT' })] }],
  ])('%s', (_name, stream, command, then) => {
    expect(decideDeleteJob(stream, command)).toEqual(then);
  });
});
