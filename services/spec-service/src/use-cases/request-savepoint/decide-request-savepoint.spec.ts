import { deleted, given, updated } from '../../testing/spec-stream-fixtures';
import type { SpecStream } from '../../spec-stream/spec-stream';
import type { Decision } from '../../spec-stream/decision';
import { decideRequestSavepoint, type RequestSavepointCommand } from './decide-request-savepoint';

const requestId = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';

describe('decideRequestSavepoint', () => {
  it.each<[string, SpecStream, RequestSavepointCommand, Decision]>([
    [
      'an existing job: recorded, with no new spec version',
      given(updated(1), updated(2)),
      { requestId, targetDirectory: 'file:///savepoints/manual' },
      { kind: 'append', version: 2, events: [{ type: 'SavepointRequested', payload: { requestId, targetDirectory: 'file:///savepoints/manual' } }] },
    ],
    ['without a directory', given(updated(1)), { requestId }, { kind: 'append', version: 1, events: [{ type: 'SavepointRequested', payload: { requestId } }] }],
    ['an unknown job', given(), { requestId }, { kind: 'rejected', errors: [expect.objectContaining({ code: 'FJC_JOB_NOT_FOUND' })] }],
    ['a deleted job', given(updated(1), deleted(1)), { requestId }, { kind: 'rejected', errors: [expect.objectContaining({ code: 'FJC_JOB_DELETED' })] }],
  ])('%s', (_name, stream, command, then) => {
    expect(decideRequestSavepoint(stream, command)).toEqual(then);
  });
});
