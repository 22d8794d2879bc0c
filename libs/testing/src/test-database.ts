// A throwaway database per test file on the stack's PostgreSQL server. Roles are cluster-wide:
// the migration step names a database's service roles after it (`<database>_<service>`), and
// drop() removes them with the database, so parallel worlds never share or leak a role.
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
  return {
    url: url.href,
    // pg's Pool.end() resolves before the server has seen every Terminate, so wait for the
    // sessions to go away instead of killing them (a killed session errors in the test process).
    drop: async () => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const c = new Client({ connectionString: admin.href });
        await c.connect();
        try {
          const r = await c.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
          if (r.rows[0].n === 0 || Date.now() > deadline) break;
        } finally {
          await c.end();
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await run(`drop database if exists "${name}" with (force)`);
      await run(`do $$ declare r record; begin
        for r in select rolname from pg_roles where rolname like '${name}\\_%' loop
          execute format('drop role if exists %I', r.rolname);
        end loop; end $$`);
    },
  };
}
