import { JobObservedV1 } from '@fjc/contracts';
import { isNews, observationOf, stopsObservation } from './job-observation';

const JOB = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('observationOf', () => {
  it('reports an unknown job as NOT_FOUND', () => {
    expect(observationOf(JOB, null, null)).toEqual({ flinkJobId: JOB, flinkState: 'NOT_FOUND' });
  });

  it('reports state and times of a running job', () => {
    const payload = observationOf(JOB, { jid: JOB, state: 'RUNNING', startTime: Date.parse('2025-06-01T00:00:00Z'), endTime: -1 }, null);
    expect(JobObservedV1.parse(payload)).toEqual({ flinkJobId: JOB, flinkState: 'RUNNING', startTime: '2025-06-01T00:00:00.000Z' });
  });

  it('carries the root exception of a failed job, and the savepoint last seen', () => {
    const savepoint = { triggerId: 'f'.repeat(32), status: 'COMPLETED' as const, location: 'file:/sp/1' };
    const payload = observationOf(JOB, { jid: JOB, state: 'FAILED', startTime: 1, endTime: 2 }, 'java.lang.IllegalStateException: boom\n\tat x', savepoint);
    expect(JobObservedV1.parse(payload)).toMatchObject({ flinkState: 'FAILED', failure: { message: expect.stringContaining('boom') }, savepoint, endTime: expect.any(String) });
  });
});

describe('when to report and when to stop looking', () => {
  it('reports a first look and every change, nothing else', () => {
    expect(isNews(null, 'RUNNING')).toBe(true);
    expect(isNews('RUNNING', 'RUNNING')).toBe(false);
    expect(isNews('RUNNING', 'FINISHED')).toBe(true);
  });

  it.each([
    ['RUNNING', false],
    ['RESTARTING', false],
    ['SUSPENDED', false],
    ['FINISHED', true],
    ['CANCELED', true],
    ['FAILED', true],
    ['NOT_FOUND', true],
  ] as const)('%s stops observation: %s', (state, stops) => {
    expect(stopsObservation(state)).toBe(stops);
  });
});
