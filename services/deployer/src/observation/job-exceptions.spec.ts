import { JobExceptionObservedV1 } from '@fjc/contracts';
import { exceptionIdOf, exceptionObservation, rootCauseOf } from './job-exceptions';

const JOB = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

// As Flink 2.3 sends it for the test job in --fail-after-ms mode with --throw-message.
const TRACE = [
  'java.lang.IllegalStateException: token s3cr3t-value leaked',
  '\tat dev.fjc.testjob.TestJob$Counter.processElement(TestJob.java:267)',
  '\tat org.apache.flink.streaming.api.operators.KeyedProcessOperator.processElement(KeyedProcessOperator.java:83)',
].join('\n');

const WRAPPED = [
  'org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy',
  '\tat org.apache.flink.runtime.executiongraph.failover.ExecutionFailureHandler.handleFailure(ExecutionFailureHandler.java:219)',
  'Caused by: java.lang.RuntimeException: outer',
  '\tat a.b(C.java:1)',
  'Caused by: java.io.IOException: disk full: /data',
  '\t... 4 more',
].join('\n');

describe('rootCauseOf', () => {
  it('takes the first line when there is no cause', () => {
    expect(rootCauseOf(TRACE, 'x')).toEqual({ name: 'java.lang.IllegalStateException', message: 'token s3cr3t-value leaked' });
  });

  it('takes the innermost "Caused by"', () => {
    expect(rootCauseOf(WRAPPED, 'x')).toEqual({ name: 'java.io.IOException', message: 'disk full: /data' });
  });

  it('keeps an exception without a message, and falls back to the entry name for text that is no exception line', () => {
    expect(rootCauseOf('java.lang.NullPointerException\n\tat a.b(C.java:1)', 'x')).toEqual({ name: 'java.lang.NullPointerException', message: '' });
    expect(rootCauseOf('something odd happened', 'java.lang.Error')).toEqual({ name: 'java.lang.Error', message: 'something odd happened' });
  });
});

describe('exceptionObservation', () => {
  const entry = { exceptionName: 'java.lang.IllegalStateException', stacktrace: TRACE, timestamp: Date.parse('2026-11-28T15:53:59.492Z'), taskName: 'counter -> sink: Writer (1/1) - execution #0', location: 'localhost:12121' };

  it('is a valid JobExceptionObserved with Flink\'s time, task and location, and the restart count', () => {
    const payload = JobExceptionObservedV1.parse(exceptionObservation(JOB, entry, [], 3));
    expect(payload).toEqual({
      flinkJobId: JOB,
      exceptionId: exceptionIdOf(JOB, entry),
      timestamp: '2026-11-28T15:53:59.492Z',
      rootCause: { name: 'java.lang.IllegalStateException', message: 'token s3cr3t-value leaked' },
      taskName: entry.taskName,
      location: 'localhost:12121',
      restartCount: 3,
    });
  });

  it('has the same id on every read of the same entry, another for another entry or job', () => {
    expect(exceptionIdOf(JOB, entry)).toBe(exceptionIdOf(JOB, { ...entry }));
    expect(exceptionIdOf(JOB, entry)).toMatch(/^[0-9a-f]{64}$/);
    expect(exceptionIdOf(JOB, { ...entry, timestamp: entry.timestamp + 1 })).not.toBe(exceptionIdOf(JOB, entry));
    expect(exceptionIdOf('0'.repeat(32), entry)).not.toBe(exceptionIdOf(JOB, entry));
  });

  it('replaces the job\'s secret values by [REDACTED]', () => {
    const payload = exceptionObservation(JOB, entry, ['s3cr3t-value'], null);
    expect(payload.rootCause.message).toBe('token [REDACTED] leaked');
    expect(JSON.stringify(payload)).not.toContain('s3cr3t-value');
    expect(payload).not.toHaveProperty('restartCount');
  });
});
