import { decideAfterRun, shouldLookBeforeSubmitting } from './submission-step';

describe('submitting under a chosen job id', () => {
  it('asks Flink before submitting only when an earlier attempt may have submitted', () => {
    expect(shouldLookBeforeSubmitting(1)).toBe(false);
    expect(shouldLookBeforeSubmitting(2)).toBe(true);
  });

  it.each([
    ['accepted', { ok: true, jobId: 'x' } as const, false, 'submitted'],
    ['duplicate id', { ok: false, code: 'FLINK_DUPLICATE_JOB_ID', message: 'dup' } as const, false, 'look-for-job'],
    ['jar lost', { ok: false, code: 'FLINK_JAR_NOT_FOUND', message: 'gone' } as const, false, 'reupload'],
    ['jar lost right after upload', { ok: false, code: 'FLINK_JAR_NOT_FOUND', message: 'gone' } as const, true, 'failed'],
    ['refused', { ok: false, code: 'FLINK_SUBMISSION_FAILED', message: 'no main class' } as const, false, 'failed'],
  ])('%s -> %s', (_name, run, reuploaded, kind) => {
    expect(decideAfterRun(run, reuploaded).kind).toBe(kind);
  });

  it('a refusal nobody classified is retryable: the reconciler tries it again a bounded number of times (program errors never get here: FJC_FLINK_PROGRAM_INVALID)', () => {
    expect(decideAfterRun({ ok: false, code: 'FLINK_SUBMISSION_FAILED', message: 'NullPointerException' }, false)).toMatchObject({
      failure: { code: 'FJC_FLINK_REJECTED', retryable: true, message: 'NullPointerException' },
    });
  });
});
