import { Readiness } from './readiness';

describe('Readiness', () => {
  it('is ready with no checks', async () => {
    expect(await new Readiness().report()).toEqual({ ready: true, unavailable: [], checks: {} });
  });

  it('is not ready when any check fails, and names it with its error', async () => {
    const readiness = new Readiness();
    readiness.register('db', () => undefined);
    readiness.register('kafka', async () => {
      throw new Error('group not joined');
    });
    const report = await readiness.report();
    expect(report.ready).toBe(false);
    expect(report.checks).toEqual({ db: { ok: true }, kafka: { ok: false, error: 'group not joined' } });
    expect(report.unavailable).toEqual(['kafka']);
  });

  it('fails a check that does not answer in time (an unreachable dependency may hang)', async () => {
    const readiness = new Readiness();
    readiness.checkTimeoutMs = 20;
    let release: () => void = () => undefined;
    readiness.register('postgres', () => new Promise<void>((resolve) => (release = resolve)));
    const report = await readiness.report();
    release();
    expect(report).toEqual({ ready: false, unavailable: ['postgres'], checks: { postgres: { ok: false, error: 'postgres did not answer within 20 ms' } } });
  });

  it('reports a non-fatal check that fails without making the service unready', async () => {
    const readiness = new Readiness();
    readiness.register('postgres', () => undefined);
    readiness.register('flink', () => {
      throw new Error('cluster default: connection refused');
    }, { fatal: false });
    const report = await readiness.report();
    expect(report).toEqual({
      ready: true,
      unavailable: ['flink'],
      checks: { postgres: { ok: true }, flink: { ok: false, error: 'cluster default: connection refused', fatal: false } },
    });
    readiness.register('postgres', () => {
      throw new Error('down');
    });
    expect((await readiness.report()).ready).toBe(false);
  });

  it('is started once marked, for good, keeping the first time', () => {
    const readiness = new Readiness();
    expect(readiness.started).toBeNull();
    readiness.markStarted();
    const first = readiness.started;
    expect(first).toBeInstanceOf(Date);
    readiness.markStarted();
    expect(readiness.started).toBe(first);
  });
});
