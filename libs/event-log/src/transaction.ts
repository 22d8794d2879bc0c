// Runs a unit of work in one transaction, retrying it whole on serialization failures and
// deadlocks (the only errors for which a retry is the right answer).
import type { Pool, PoolClient } from 'pg';
import { PG, pgCode } from './sql';

export interface TransactionOptions {
  readonly retries?: number;
}

export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const retries = options.retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      const code = pgCode(err);
      if ((code === PG.serializationFailure || code === PG.deadlockDetected) && attempt < retries) {
        await new Promise((r) => setTimeout(r, 5 * 2 ** attempt + Math.random() * 10));
        continue;
      }
      throw err;
    } finally {
      client.release();
    }
  }
}
