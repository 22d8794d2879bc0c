import { specHash } from '@fjc/contracts';
import { deleted, given, specOf, updated } from '../../testing/spec-stream-fixtures';
import type { SpecStream } from '../../spec-stream/spec-stream';
import type { Decision } from '../../spec-stream/decision';
import { decideRollbackJob, type RollbackJobCommand } from './decide-rollback-job';

const p1 = specOf();
const p2 = specOf({ deployment: { parallelism: 2 } });
const p3 = specOf({ deployment: { parallelism: 3 } });
const history = given(updated(1, p1), updated(2, p2), updated(3, p3));

describe('decideRollbackJob', () => {
  it.each<[string, SpecStream, RollbackJobCommand, Decision]>([
    [
      'to an older version: a new version with its content; history stays',
      history,
      { toVersion: 1 },
      {
        kind: 'append',
        version: 4,
        events: [{ type: 'JobRolledBack', payload: { version: 4, specHash: specHash(p1), spec: p1, fromVersion: 3, toVersion: 1 } }],
      },
    ],
    [
      'to an older version from a savepoint the operator names: the path is in the event',
      history,
      { toVersion: 1, savepointPath: 'file:///sp/savepoint-1' },
      {
        kind: 'append',
        version: 4,
        events: [{ type: 'JobRolledBack', payload: { version: 4, specHash: specHash(p1), spec: p1, fromVersion: 3, toVersion: 1, savepointPath: 'file:///sp/savepoint-1' } }],
      },
    ],
    [
      'to the current content from a named savepoint: a new version all the same (the job restarts from it)',
      history,
      { toVersion: 3, savepointPath: 'file:///sp/savepoint-3' },
      {
        kind: 'append',
        version: 4,
        events: [{ type: 'JobRolledBack', payload: { version: 4, specHash: specHash(p3), spec: p3, fromVersion: 3, toVersion: 3, savepointPath: 'file:///sp/savepoint-3' } }],
      },
    ],
    ['to the current version: nothing to do', history, { toVersion: 3 }, { kind: 'unchanged', version: 3 }],
    ['to an older version whose content is current again: nothing to do', given(updated(1, p1), updated(2, p2), updated(3, p1)), { toVersion: 1 }, { kind: 'unchanged', version: 3 }],
    ['to a version that does not exist', history, { toVersion: 7 }, { kind: 'rejected', errors: [expect.objectContaining({ code: 'FJC_VERSION_NOT_FOUND', path: 'toVersion' })] }],
    ['of an unknown job', given(), { toVersion: 1 }, { kind: 'rejected', errors: [expect.objectContaining({ code: 'FJC_JOB_NOT_FOUND' })] }],
    ['of a deleted job', given(updated(1, p1), updated(2, p2), deleted(2)), { toVersion: 1 }, { kind: 'rejected', errors: [expect.objectContaining({ code: 'FJC_JOB_DELETED' })] }],
    ['with a stale expected version', history, { toVersion: 1, expectedVersion: 2 }, { kind: 'rejected', errors: [expect.objectContaining({ code: 'FJC_VERSION_CONFLICT' })] }],
  ])('%s', (_name, stream, command, then) => {
    expect(decideRollbackJob(stream, command)).toEqual(then);
  });
});
