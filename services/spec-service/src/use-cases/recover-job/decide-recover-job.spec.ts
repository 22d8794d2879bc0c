import { deleted, given, updated } from '../../testing/spec-stream-fixtures';
import type { SpecStream } from '../../spec-stream/spec-stream';
import type { Decision } from '../../spec-stream/decision';
import { decideRecoverJob, type RecoverJobCommand } from './decide-recover-job';

const requestId = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
const empty = { kind: 'empty-state' } as const;

describe('decideRecoverJob', () => {
  it.each<[string, SpecStream, RecoverJobCommand, Decision]>([
    [
      'from a savepoint: recorded, with no new spec version',
      given(updated(1), updated(2)),
      { requestId, from: { kind: 'savepoint', path: 'file:///savepoints/sp-1' } },
      { kind: 'append', version: 2, events: [{ type: 'JobRecoveryRequested', payload: { requestId, from: { kind: 'savepoint', path: 'file:///savepoints/sp-1' } } }] },
    ],
    ['with empty state', given(updated(1)), { requestId, from: empty }, { kind: 'append', version: 1, events: [{ type: 'JobRecoveryRequested', payload: { requestId, from: empty } }] }],
    ['an unknown job', given(), { requestId, from: empty }, { kind: 'rejected', errors: [expect.objectContaining({ code: 'FJC_JOB_NOT_FOUND' })] }],
    ['a deleted job', given(updated(1), deleted(1)), { requestId, from: empty }, { kind: 'rejected', errors: [expect.objectContaining({ code: 'FJC_JOB_DELETED' })] }],
    ['another version than expected', given(updated(1), updated(2)), { requestId, from: empty, expectedVersion: 1 }, { kind: 'rejected', errors: [expect.objectContaining({ code: 'FJC_VERSION_CONFLICT' })] }],
  ])('%s', (_name, stream, command, then) => {
    expect(decideRecoverJob(stream, command)).toEqual(then);
  });
});
