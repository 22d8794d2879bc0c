import { FlinkProtocolError, FlinkTlsError, FlinkUnavailableError } from '@fjc/flink-client';
import { ActionFailedV2, ActionSucceededV1 } from '@fjc/contracts';
import { failure, failureOfError, resultEvent, success, WaitTimeoutError } from './action-outcome';

const ACTION = '7d444840-9dc0-11d1-b245-5ffdce74fad2';
const JOB = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('action outcomes as contract events', () => {
  it('a success is an ActionSucceeded the contract accepts, with the savepoint when one was taken', () => {
    const event = resultEvent(ACTION, 'Upgrade', success(JOB, { triggerId: 'f'.repeat(32), location: 'file:/sp/1' }));
    expect(event.type).toBe('ActionSucceeded');
    expect(ActionSucceededV1.parse(event.payload)).toEqual({ actionId: ACTION, kind: 'Upgrade', flinkJobId: JOB, savepoint: { triggerId: 'f'.repeat(32), location: 'file:/sp/1' } });
    expect(resultEvent(ACTION, 'Cancel', success(JOB)).payload).not.toHaveProperty('savepoint');
  });

  it('a Cancel that read the checkpoint its job retained says so in a payload the contract accepts', () => {
    const retainedCheckpoint = { id: 24, path: `file:/chk/${JOB}/chk-24`, completedAt: '2026-11-29T22:30:00.000Z' };
    const event = resultEvent(ACTION, 'Cancel', { ...success(JOB), retainedCheckpoint });
    expect(ActionSucceededV1.parse(event.payload)).toEqual({ actionId: ACTION, kind: 'Cancel', flinkJobId: JOB, retainedCheckpoint });
    expect(resultEvent(ACTION, 'Cancel', success(JOB)).payload).not.toHaveProperty('retainedCheckpoint');
  });

  it('a CleanUp success counts the jars deleted and the runs pruned, and names no Flink job', () => {
    const event = resultEvent(ACTION, 'CleanUp', { ok: true, jarsDeleted: 1, runsPruned: 2 });
    expect(ActionSucceededV1.parse(event.payload)).toEqual({ actionId: ACTION, kind: 'CleanUp', jarsDeleted: 1, runsPruned: 2 });
    expect(resultEvent(ACTION, 'CleanUp', { ok: true, jarsDeleted: 0 }).payload).toEqual({ actionId: ACTION, kind: 'CleanUp', jarsDeleted: 0, runsPruned: 0 });
    expect(() => resultEvent(ACTION, 'CleanUp', success(JOB))).toThrow('CleanUp');
  });

  it('a failure is an ActionFailed with code, message and retryable', () => {
    const event = resultEvent(ACTION, 'Deploy', failure('FJC_ARTIFACT_SIGNATURE_MISMATCH', 'differs', false));
    expect(event.type).toBe('ActionFailed');
    expect(ActionFailedV2.parse(event.payload)).toEqual({ actionId: ACTION, kind: 'Deploy', error: { code: 'FJC_ARTIFACT_SIGNATURE_MISMATCH', message: 'differs', retryable: false } });
  });

  it.each([
    [new FlinkUnavailableError('down'), 'FJC_FLINK_UNREACHABLE', true],
    [new FlinkProtocolError('HTTP 409'), 'FJC_FLINK_REJECTED', false],
    [new FlinkTlsError('cluster "default": not trusted', 'SELF_SIGNED_CERT_IN_CHAIN'), 'FJC_FLINK_TLS_UNTRUSTED', false],
    [new WaitTimeoutError('too slow'), 'FJC_ACTION_TIMEOUT', true],
  ])('%s becomes %s', (err, code, retryable) => {
    expect(failureOfError(err)).toMatchObject({ code, retryable });
  });

  it('rethrows what is not Flink\'s answer', () => {
    expect(() => failureOfError(new Error('connection to PostgreSQL lost'))).toThrow('PostgreSQL');
  });
});
