import type { Logger } from 'nestjs-pino';
import type { Pool } from 'pg';
import { RollbackWarnings } from './rollback-warnings-query';

describe('RollbackWarnings.afterCommit', () => {
  it('given the log cannot be read after the rollback committed: one FJC_ROLLBACK_WARNINGS_UNAVAILABLE warning, logged, no error', async () => {
    const pool = { query: () => Promise.reject(new Error('connection terminated')) } as unknown as Pool;
    const logged: unknown[] = [];
    const logger = { warn: (entry: unknown) => logged.push(entry), log: () => undefined } as unknown as Logger;
    const warnings = await new RollbackWarnings(pool, logger).afterCommit('orders', 4);
    expect(warnings).toEqual([{ code: 'FJC_ROLLBACK_WARNINGS_UNAVAILABLE', path: '', message: expect.stringContaining('connection terminated') }]);
    expect(logged).toEqual([expect.objectContaining({ code: 'FJC_ROLLBACK_WARNINGS_UNAVAILABLE', jobId: 'orders', version: 4 })]);
  });
});
