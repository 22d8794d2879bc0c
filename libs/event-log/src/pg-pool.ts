// Every PostgreSQL pool FJC opens: bounded connect, statement and idle-in-transaction times, and
// an 'error' listener, so a restarted or unreachable database is a wait, never a crash (pg emits
// 'error' on idle clients the server terminated; without a listener the process dies of it).
import { Pool, type PoolConfig } from 'pg';
import { pgClientConfig } from './pg-config';

export interface PgTimeouts {
  /** FJC_PG_CONNECT_TIMEOUT_MS: how long opening a connection may take (default 5000). */
  readonly connectTimeoutMs: number;
  /** FJC_PG_STATEMENT_TIMEOUT_MS: the server cancels a statement running longer (default 30000). */
  readonly statementTimeoutMs: number;
  /** FJC_PG_IDLE_IN_TX_TIMEOUT_MS: the server ends a session idle inside a transaction this long (default 60000). */
  readonly idleInTransactionTimeoutMs: number;
}

export function pgTimeoutsFromEnv(env: NodeJS.ProcessEnv = process.env): PgTimeouts {
  return {
    connectTimeoutMs: positiveInt(env, 'FJC_PG_CONNECT_TIMEOUT_MS', 5_000),
    statementTimeoutMs: positiveInt(env, 'FJC_PG_STATEMENT_TIMEOUT_MS', 30_000),
    idleInTransactionTimeoutMs: positiveInt(env, 'FJC_PG_IDLE_IN_TX_TIMEOUT_MS', 60_000),
  };
}

/** pg client settings for the timeouts (for a Pool, a Client, or TypeORM's `extra`). */
export function pgTimeoutConfig(t: PgTimeouts = pgTimeoutsFromEnv()): Pick<PoolConfig, 'connectionTimeoutMillis' | 'statement_timeout' | 'idle_in_transaction_session_timeout'> {
  return {
    connectionTimeoutMillis: t.connectTimeoutMs,
    statement_timeout: t.statementTimeoutMs,
    idle_in_transaction_session_timeout: t.idleInTransactionTimeoutMs,
  };
}

export type PgPoolWarn = (entry: { code: 'FJC_PG_CONNECTION_LOST'; pool: string; err: string }, msg: string) => void;

/** A pool with the timeouts and an 'error' listener that logs a warning (code FJC_PG_CONNECTION_LOST). */
export function createPgPool(options: { connectionString: string; max: number; name: string; warn?: PgPoolWarn; timeouts?: PgTimeouts }): Pool {
  const pool = new Pool({ application_name: options.name, ...pgClientConfig(options.connectionString), max: options.max, ...pgTimeoutConfig(options.timeouts) });
  const warn: PgPoolWarn = options.warn ?? ((entry, msg) => process.stderr.write(`${JSON.stringify({ level: 'warn', ...entry, msg })}\n`));
  // A checked-out client has no listener of the pool's: a connection the server ends between two
  // queries would emit an unhandled 'error'. The next query on it fails, and the caller sees that.
  pool.on('connect', (client) => client.on('error', () => undefined));
  pool.on('error', (err) => warn({ code: 'FJC_PG_CONNECTION_LOST', pool: options.name, err: err.message }, 'an idle PostgreSQL connection was lost; the pool opens a new one when needed'));
  return pool;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number of milliseconds, got "${raw}"`);
  return n;
}
