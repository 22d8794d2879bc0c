import { Readiness } from './readiness';

describe('Readiness', () => {
  it('is ready with no checks', async () => {
    expect(await new Readiness().report()).toEqual({ ready: true, checks: {} });
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
  });
});
