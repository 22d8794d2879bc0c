import { JobObservedV1 } from '@fjc/contracts';
import type { FlinkJobView } from '../flink/flink-port';
import { backpressureToRemember, isNews, observationOf, stopsObservation } from './job-observation';

const JOB = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const view = (over: Partial<FlinkJobView>): FlinkJobView => ({ jid: JOB, state: 'RUNNING', startTime: 1, endTime: -1, vertexIds: [], ...over });

describe('observationOf', () => {
  it('reports an unknown job as NOT_FOUND', () => {
    expect(observationOf(JOB, { view: null, rootException: null, backpressure: null })).toEqual({ flinkJobId: JOB, flinkState: 'NOT_FOUND' });
  });

  it('reports state and times of a running job', () => {
    const payload = observationOf(JOB, { view: view({ startTime: Date.parse('2025-06-01T00:00:00Z') }), rootException: null, backpressure: null });
    expect(JobObservedV1.parse(payload)).toEqual({ flinkJobId: JOB, flinkState: 'RUNNING', startTime: '2025-06-01T00:00:00.000Z' });
  });

  it('carries the back pressure of a running job when it was read', () => {
    const payload = observationOf(JOB, { view: view({}), rootException: null, backpressure: 'high' });
    expect(JobObservedV1.parse(payload)).toMatchObject({ flinkState: 'RUNNING', backpressure: 'high' });
  });

  it('carries the Flink version the cluster reported, when it was read', () => {
    expect(JobObservedV1.parse(observationOf(JOB, { view: view({}), rootException: null, backpressure: null, flinkVersion: '1.20.5' }))).toMatchObject({ flinkVersion: '1.20.5' });
    expect(observationOf(JOB, { view: view({}), rootException: null, backpressure: null, flinkVersion: null })).not.toHaveProperty('flinkVersion');
  });

  it('carries the root exception of a failed job, and the savepoint last seen', () => {
    const savepoint = { triggerId: 'f'.repeat(32), status: 'COMPLETED' as const, location: 'file:/sp/1' };
    const payload = observationOf(JOB, { view: view({ state: 'FAILED', endTime: 2 }), rootException: 'java.lang.IllegalStateException: boom\n\tat x', backpressure: null }, savepoint);
    expect(JobObservedV1.parse(payload)).toMatchObject({ flinkState: 'FAILED', failure: { message: expect.stringContaining('boom') }, savepoint, endTime: expect.any(String) });
    expect(payload).not.toHaveProperty('backpressure');
  });

  it('carries the latest retained checkpoint, with when it completed', () => {
    const checkpoint = { id: 7, externalPath: 'file:/chk/a1/chk-7', completedAt: Date.parse('2025-06-01T00:00:05Z') };
    const payload = observationOf(JOB, { view: view({}), rootException: null, backpressure: null, checkpoint });
    expect(JobObservedV1.parse(payload).lastCheckpoint).toEqual({ id: 7, path: 'file:/chk/a1/chk-7', completedAt: '2025-06-01T00:00:05.000Z' });
    expect(observationOf(JOB, { view: view({}), rootException: null, backpressure: null, checkpoint: null })).not.toHaveProperty('lastCheckpoint');
  });
});

describe('when to report and when to stop looking', () => {
  const last = (state: 'RUNNING' | null, backpressure: 'ok' | 'low' | 'high' | null = null) => ({ state, backpressure });

  it('reports a first look and every state change, nothing else', () => {
    expect(isNews(last(null), { flinkState: 'RUNNING' })).toBe(true);
    expect(isNews(last('RUNNING'), { flinkState: 'RUNNING' })).toBe(false);
    expect(isNews(last('RUNNING'), { flinkState: 'FINISHED' })).toBe(true);
  });

  it('reports each retained checkpoint once, as it completes', () => {
    const at = '2025-06-01T00:00:05.000Z';
    expect(isNews({ ...last('RUNNING'), checkpointId: null }, { flinkState: 'RUNNING', lastCheckpoint: { id: 1, path: 'file:/c/chk-1', completedAt: at } })).toBe(true);
    expect(isNews({ ...last('RUNNING'), checkpointId: 1 }, { flinkState: 'RUNNING', lastCheckpoint: { id: 1, path: 'file:/c/chk-1', completedAt: at } })).toBe(false);
    expect(isNews({ ...last('RUNNING'), checkpointId: 1 }, { flinkState: 'RUNNING', lastCheckpoint: { id: 2, path: 'file:/c/chk-2', completedAt: at } })).toBe(true);
  });

  it.each([
    [null, 'ok', true],
    ['ok', 'ok', false],
    ['ok', 'low', true],
    ['low', 'high', true],
    ['high', 'ok', true],
    ['high', undefined, false],
  ] as const)('back pressure %s, then %s: news %s', (before, now, news) => {
    expect(isNews(last('RUNNING', before), { flinkState: 'RUNNING', backpressure: now })).toBe(news);
  });

  it('remembers the level while the job runs, keeps it through a failed read, and drops it when the job stops running', () => {
    expect(backpressureToRemember(last('RUNNING', 'ok'), { flinkState: 'RUNNING', backpressure: 'high' })).toBe('high');
    expect(backpressureToRemember(last('RUNNING', 'low'), { flinkState: 'RUNNING' })).toBe('low');
    expect(backpressureToRemember(last('RUNNING', 'high'), { flinkState: 'RESTARTING' })).toBeNull();
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

describe('gate evidence and failures (issue 13)', () => {
  it('carries restarts, checkpoint counts and the output rate of a running job', () => {
    const payload = observationOf(JOB, { view: view({}), rootException: null, backpressure: null, restarts: 2, checkpointCounts: { completed: 5, failed: 1, inProgress: 0 }, recordsOutPerSecond: 20 });
    expect(JobObservedV1.parse(payload)).toMatchObject({ restarts: 2, checkpoints: { completed: 5, failed: 1, inProgress: 0 }, recordsOutPerSecond: 20 });
  });

  it('reports RESTARTING as it is, with its restart count and no output rate', () => {
    const payload = observationOf(JOB, { view: view({ state: 'RESTARTING' }), rootException: null, backpressure: null, restarts: 3, recordsOutPerSecond: 5 });
    expect(JobObservedV1.parse(payload)).toMatchObject({ flinkState: 'RESTARTING', restarts: 3 });
    expect(payload).not.toHaveProperty('recordsOutPerSecond');
  });

  it('carries the root cause of a FAILING job with the job\'s secret values redacted', () => {
    const payload = observationOf(JOB, { view: view({ state: 'FAILING' }), rootException: 'java.lang.IllegalStateException: pw hunter2!\n\tat x', backpressure: null }, undefined, new Date(), ['hunter2!']);
    expect(payload.failure?.message).toContain('pw [REDACTED]');
    expect(JSON.stringify(payload)).not.toContain('hunter2!');
  });

  it.each([
    ['more restarts', { restarts: 1 }, { restarts: 2 }],
    ['a first restart count', {}, { restarts: 0 }],
    ['another completed checkpoint', { checkpointsCompleted: 3 }, { checkpoints: { completed: 4, failed: 0, inProgress: 0 } }],
    ['sources that stopped emitting', { emitting: true }, { recordsOutPerSecond: 0 }],
    ['sources that started emitting', { emitting: false }, { recordsOutPerSecond: 3.5 }],
  ])('is news on %s', (_name, last, now) => {
    expect(isNews({ state: 'RUNNING', backpressure: null, ...last }, { flinkState: 'RUNNING', ...now })).toBe(true);
  });

  it.each([
    ['the same restarts', { restarts: 2 }, { restarts: 2 }],
    ['only failed checkpoints', { checkpointsCompleted: 3 }, { checkpoints: { completed: 3, failed: 9, inProgress: 1 } }],
    ['another rate while emitting', { emitting: true }, { recordsOutPerSecond: 12 }],
  ])('is not news on %s', (_name, last, now) => {
    expect(isNews({ state: 'RUNNING', backpressure: null, ...last }, { flinkState: 'RUNNING', ...now })).toBe(false);
  });
});
