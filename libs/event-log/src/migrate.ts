// Applying the schema: TypeORM migrations run by the database owner (DATABASE_URL) in a step of
// their own (`fjc db migrate`, or a service's `dist/migrate-main.js`), never by a service at
// boot. A service only checks, as its own role, that every migration it needs is applied.
import type { TlsOptions } from 'node:tls';
import { Client } from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';
import { EVENT_LOG_MIGRATIONS } from './migrations';
import { pgClientConfig } from './pg-config';
import { pgConnectFailure } from './pg-connect-errors';
import { createPgPool, pgTimeoutConfig, pgTimeoutsFromEnv } from './pg-pool';
import { databaseOf, provisionServiceRole, servicePassword, serviceRoleName, type ServiceGrants } from './roles';
import { pgCode } from './sql';
import { inTransaction } from './transaction';

export type MigrationClass = new () => MigrationInterface;

export async function migrateDatabase(ownerUrl: string, extra: readonly MigrationClass[] = []): Promise<string[]> {
  // The parsed settings, not `url`: pg would parse a URL again and lose pgClientConfig's TLS host check.
  const pg = pgClientConfig(ownerUrl);
  const ds = new DataSource({
    type: 'postgres',
    host: pg.host,
    port: pg.port,
    username: pg.user,
    password: typeof pg.password === 'string' ? pg.password : undefined,
    database: pg.database,
    ssl: pg.ssl as TlsOptions | boolean | undefined,
    migrations: [...EVENT_LOG_MIGRATIONS, ...extra],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    logging: false,
    // Bounded connect, statement and idle-in-transaction times (TypeORM's pool has its own 'error' listener).
    extra: { ...pg, ...pgTimeoutConfig(), application_name: 'fjc-migrations' },
  });
  await ds.initialize();
  // Two services starting at once must not both migrate: a session lock on its own connection.
  const lock = ds.createQueryRunner();
  try {
    await lock.connect();
    await lock.query(`select pg_advisory_lock(hashtext('fjc.migrations'))`);
    const applied = await ds.runMigrations();
    return applied.map((m) => m.name);
  } finally {
    await lock.query(`select pg_advisory_unlock(hashtext('fjc.migrations'))`).catch(() => undefined);
    await lock.release();
    await ds.destroy();
  }
}

/** A role's URL on the same server and database as the owner's (no password: local trust, tests). */
export function roleUrl(ownerUrl: string, role: string): string {
  const url = new URL(ownerUrl);
  url.username = role;
  url.password = '';
  return url.href;
}

export interface ServiceSchema extends ServiceGrants {
  /** The service's own migrations, applied after the event log's. */
  readonly migrations: readonly MigrationClass[];
}

/** The migration step of one service: its migrations, then its role and grants. Returns the role's name. */
export async function migrateService(ownerUrl: string, schema: ServiceSchema, env: NodeJS.ProcessEnv = process.env): Promise<{ role: string; applied: string[] }> {
  const role = serviceRoleName(schema.service, databaseOf(ownerUrl), env);
  const password = servicePassword(schema.service, env);
  try {
    const applied = await migrateDatabase(ownerUrl, schema.migrations);
    const owner = createPgPool({ connectionString: ownerUrl, max: 1, name: 'fjc-migrations' });
    try {
      // One transaction: a running service never sees its grants half revoked.
      await inTransaction(owner, (tx) => provisionServiceRole(tx, role, schema, password));
    } finally {
      await owner.end();
    }
    return { role, applied };
  } catch (err) {
    // An untrusted certificate, a refused password or certificate: FJC's code, naming what to check.
    throw pgConnectFailure(err, ownerUrl) ?? err;
  }
}

export class SchemaNotMigratedError extends Error {
  readonly code = 'FJC_SCHEMA_NOT_MIGRATED';
  constructor(readonly service: string, readonly missing: readonly string[], reason?: string) {
    super(
      `FJC_SCHEMA_NOT_MIGRATED: ${service} needs ${missing.length > 0 ? `migrations ${missing.join(', ')}` : 'its database role'}` +
        `${reason ? ` (${reason})` : ''}; run the migration step with the owner's credentials: fjc db migrate`,
    );
    this.name = 'SchemaNotMigratedError';
  }
}

/** SQLSTATEs of a database whose migration step has not run: no such role (28000), database (3D000), table (42P01), or no grant (42501). */
const NOT_MIGRATED = new Set(['28000', '3D000', '42P01', '42501']);

/**
 * A service's check at start, as its own role: SchemaNotMigratedError when its role, its grants
 * or any of its migrations (the event log's and its own) are missing; PgConnectError
 * (FJC_PG_TLS_UNTRUSTED, FJC_PG_TLS_REQUIRED, FJC_PG_AUTH_FAILED ...) when the server or the
 * service refused the connection.
 */
export async function assertSchemaMigrated(serviceUrl: string, service: string, own: readonly MigrationClass[]): Promise<void> {
  const needed = [...EVENT_LOG_MIGRATIONS, ...own].map((m) => new m().name ?? m.name);
  const client = new Client({ ...pgClientConfig(serviceUrl), application_name: `fjc-schema-check:${service}`, connectionTimeoutMillis: pgTimeoutsFromEnv().connectTimeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const res = await client.query<{ name: string }>('select name from schema_migrations');
    const done = new Set(res.rows.map((r) => r.name));
    const missing = needed.filter((n) => !done.has(n));
    if (missing.length > 0) throw new SchemaNotMigratedError(service, missing);
    const writer = await client.query('select 1 from log_writers where role_name = current_user');
    if (writer.rowCount === 0) throw new SchemaNotMigratedError(service, [], 'its role is not a log writer');
  } catch (err) {
    // TLS and authentication refusals first: their SQLSTATE (28000) is also that of a missing role.
    const refused = pgConnectFailure(err, serviceUrl);
    if (refused) throw refused;
    const code = pgCode(err);
    if (code !== undefined && NOT_MIGRATED.has(code)) throw new SchemaNotMigratedError(service, [], `PostgreSQL: ${(err as Error).message}`);
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The command-line entry of a service's migration step (`node services/X/dist/migrate-main.js`,
 * also run by `fjc db migrate`): DATABASE_URL is the owner's; prints what it applied and the role.
 */
export function runMigrateEntry(schema: ServiceSchema): void {
  const ownerUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/fjc';
  migrateService(ownerUrl, schema).then(
    ({ role, applied }) => {
      process.stdout.write(`${schema.service}: ${applied.length === 0 ? 'schema up to date' : `applied ${applied.join(', ')}`}; role ${role} granted\n`);
    },
    (err: unknown) => {
      const code = (err as { code?: unknown }).code;
      process.stderr.write(`${typeof code === 'string' && code.startsWith('FJC_') ? '' : 'FJC_MIGRATION_FAILED: '}${schema.service}: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
