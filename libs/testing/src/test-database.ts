// A throwaway database per test file on the stack's PostgreSQL server.
import { Client } from 'pg';
import { stackEnv, uniqueSuffix } from './stack-env';

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const base = new URL(stackEnv('DATABASE_URL'));
  const name = `fjc_t_${uniqueSuffix()}`;
  const admin = new URL(base.href);
  admin.pathname = '/postgres';
  const run = async (sql: string) => {
    const client = new Client({ connectionString: admin.href });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`create database "${name}"`);
  const url = new URL(base.href);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => run(`drop database if exists "${name}" with (force)`) };
}
