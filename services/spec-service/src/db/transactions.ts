// The unit of work of an HTTP request: one PostgreSQL transaction (retried whole on a
// serialization failure), so a 2xx means its events are committed.
import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@fjc/event-log';
import { DB_POOL } from '@fjc/service-runtime';

@Injectable()
export class Transactions {
  constructor(@Inject(DB_POOL) private readonly pool: Pool) {}

  run<T>(work: (tx: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }
}
