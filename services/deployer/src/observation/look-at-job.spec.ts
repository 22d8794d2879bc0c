import { FakeFlink } from '../testing/fake-flink';
import { lookAtJob, worstBackpressure } from './look-at-job';

const JOB = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('worstBackpressure', () => {
  it.each([
    [[], null],
    [[null, null], null],
    [['ok', null], 'ok'],
    [['ok', 'low', 'ok'], 'low'],
    [['low', 'high', null], 'high'],
  ] as const)('%j -> %s', (levels, worst) => {
    expect(worstBackpressure(levels)).toBe(worst);
  });
});

describe('lookAtJob', () => {
  it('reads the back pressure of every vertex of a running job and takes the worst', async () => {
    const flink = new FakeFlink().withJob(JOB).withBackpressure(JOB, { source: 'ok', sink: 'low' });
    const look = await lookAtJob(flink, JOB);
    expect(look).toMatchObject({ view: { state: 'RUNNING' }, backpressure: 'low', flinkVersion: '2.3.0' });
    expect(flink.calls).toEqual(['job ' + JOB, `checkpoints ${JOB}`, `jobMetrics ${JOB}`, `vertexMetricSum ${JOB} source`, `vertexBackpressure ${JOB} source`, `vertexBackpressure ${JOB} sink`]);
  });

  it('reports no Flink version, and still the state, when the cluster does not tell its version', async () => {
    const flink = new FakeFlink().withJob(JOB);
    flink.flinkVersion = () => Promise.reject(new Error('GET /config failed'));
    expect(await lookAtJob(flink, JOB)).toMatchObject({ view: { state: 'RUNNING' }, flinkVersion: null });
  });

  it('stops asking once a vertex is high', async () => {
    const flink = new FakeFlink().withJob(JOB).withBackpressure(JOB, { source: 'high', sink: 'ok' });
    expect((await lookAtJob(flink, JOB)).backpressure).toBe('high');
    expect(flink.count('vertexBackpressure')).toBe(1);
  });

  it('has no level while Flink has no statistics yet', async () => {
    const flink = new FakeFlink().withJob(JOB);
    expect((await lookAtJob(flink, JOB)).backpressure).toBeNull();
  });

  it.each(['FINISHED', 'FAILED', 'CANCELED', 'RESTARTING'] as const)('does not read back pressure of a %s job', async (state) => {
    const flink = new FakeFlink().withJob(JOB, state).withBackpressure(JOB, { source: 'high' });
    const look = await lookAtJob(flink, JOB);
    expect(look.backpressure).toBeNull();
    expect(flink.count('vertexBackpressure')).toBe(0);
  });

  it('reads the latest retained checkpoint; one without a path is not retained and not reported', async () => {
    const kept = new FakeFlink().withJob(JOB, 'RUNNING', { latestCompleted: { id: 4, externalPath: 'file:/chk/4', completedAt: 5 } });
    expect((await lookAtJob(kept, JOB)).checkpoint).toEqual({ id: 4, externalPath: 'file:/chk/4', completedAt: 5 });
    const unkept = new FakeFlink().withJob(JOB, 'RUNNING', { latestCompleted: { id: 4 } });
    expect((await lookAtJob(unkept, JOB)).checkpoint).toBeNull();
  });

  it('nor of a job Flink does not know', async () => {
    const flink = new FakeFlink();
    expect(await lookAtJob(flink, JOB)).toEqual({
      view: null, rootException: null, backpressure: null, flinkVersion: null, checkpoint: null, checkpointCounts: null, restarts: null, exceptions: null, recordsOutPerSecond: null,
    });
    expect(flink.count('vertexBackpressure')).toBe(0);
  });

  it('reports the state without back pressure when reading it fails', async () => {
    const flink = new FakeFlink().withJob(JOB).withBackpressure(JOB, { source: 'low' }).unavailable('vertexBackpressure');
    const look = await lookAtJob(flink, JOB);
    expect(look).toMatchObject({ view: { state: 'RUNNING' }, backpressure: null, backpressureError: expect.stringContaining('unreachable') });
  });

  describe('restarts, checkpoint counts, output rate and exceptions (issue 13)', () => {
    const exception = { exceptionName: 'java.lang.IllegalStateException', stacktrace: 'java.lang.IllegalStateException: boom\n\tat x', timestamp: 1_700_000_000_000 };

    it('reads the restart count, the checkpoint counts and the sources\' output rate of a running job', async () => {
      const flink = new FakeFlink().withJob(JOB, 'RUNNING', { counts: { completed: 4, failed: 1, inProgress: 0 } });
      const job = flink.jobs.get(JOB);
      if (job === undefined) throw new Error('no job');
      job.recordsOutPerSecond = 19.5;
      const look = await lookAtJob(flink, JOB);
      expect(look).toMatchObject({ restarts: 0, checkpointCounts: { completed: 4, failed: 1, inProgress: 0 }, recordsOutPerSecond: 19.5, exceptions: null });
    });

    it('reads the exception history of a RESTARTING job, and of a running one only when it restarted since the last look', async () => {
      const flink = new FakeFlink().withJob(JOB).failOnce(JOB, exception);
      expect(await lookAtJob(flink, JOB, 0)).toMatchObject({ view: { state: 'RESTARTING' }, restarts: 1, exceptions: [exception] });
      const job = flink.jobs.get(JOB);
      if (job === undefined) throw new Error('no job');
      job.state = 'RUNNING';
      expect(await lookAtJob(flink, JOB, 0)).toMatchObject({ restarts: 1, exceptions: [exception] });
      expect(await lookAtJob(flink, JOB, 1)).toMatchObject({ restarts: 1, exceptions: null });
    });

    it('reads the root exception of a FAILING job too', async () => {
      const flink = new FakeFlink().withJob(JOB, 'FAILING');
      expect(await lookAtJob(flink, JOB)).toMatchObject({ rootException: expect.stringContaining('boom') });
    });
  });
});
