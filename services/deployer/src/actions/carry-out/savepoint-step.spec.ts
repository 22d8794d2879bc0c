import { decideSavepointStep, type SavepointSnapshot } from './savepoint-step';

const base: SavepointSnapshot = { mode: 'stop', flinkJobId: 'a'.repeat(32), status: { status: 'UNKNOWN' }, jobState: 'RUNNING', triggered: false };

describe('decideSavepointStep', () => {
  it.each<[string, Partial<SavepointSnapshot>, string]>([
    ['recorded by an earlier attempt', { recorded: 'file:/sp/1', jobState: 'NOT_FOUND' }, 'done'],
    ['completed', { status: { status: 'COMPLETED', location: 'file:/sp/2' } }, 'done'],
    ['in progress', { status: { status: 'IN_PROGRESS' } }, 'wait'],
    ['failed', { status: { status: 'FAILED', message: 'declined' } }, 'failed'],
    ['never triggered, job running', {}, 'trigger'],
    ['never triggered, job restarting', { jobState: 'RESTARTING' }, 'trigger'],
    ['just triggered, not registered yet', { triggered: true }, 'wait'],
    ['status forgotten, stopped job FINISHED', { jobState: 'FINISHED' }, 'look-up-archive'],
    ['status forgotten, archive has the savepoint', { jobState: 'FINISHED', archived: 'file:/sp/3' }, 'done'],
    ['status forgotten, archive empty', { jobState: 'FINISHED', archived: null }, 'failed'],
    ['job unknown', { jobState: 'NOT_FOUND' }, 'failed'],
    ['job cancelled', { jobState: 'CANCELED' }, 'failed'],
    ['trigger mode, job FINISHED', { mode: 'trigger', jobState: 'FINISHED' }, 'failed'],
  ])('%s -> %s', (_name, snapshot, kind) => {
    expect(decideSavepointStep({ ...base, ...snapshot }).kind).toBe(kind);
  });

  it('a failed savepoint of a job still running is worth asking for again; of a job gone, not', () => {
    const failed = { status: { status: 'FAILED', message: 'declined' } } as const;
    expect(decideSavepointStep({ ...base, ...failed })).toMatchObject({ failure: { code: 'FJC_SAVEPOINT_FAILED', retryable: true } });
    expect(decideSavepointStep({ ...base, ...failed, jobState: 'FAILED' })).toMatchObject({ failure: { retryable: false } });
  });

  it('names a job Flink does not know with FJC_FLINK_JOB_NOT_FOUND', () => {
    expect(decideSavepointStep({ ...base, jobState: 'NOT_FOUND' })).toMatchObject({ failure: { code: 'FJC_FLINK_JOB_NOT_FOUND', retryable: false } });
  });

  it('prefers the recorded location over anything Flink says now', () => {
    expect(decideSavepointStep({ ...base, recorded: 'file:/sp/1', status: { status: 'COMPLETED', location: 'file:/other' } })).toEqual({ kind: 'done', location: 'file:/sp/1' });
  });
});
