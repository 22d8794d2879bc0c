// Applying the schema: TypeORM migrations run by the database owner (DATABASE_URL), never by
// the application role.
import { DataSource, type MigrationInterface } from 'typeorm';
import { EVENT_LOG_MIGRATIONS } from './migrations';
import { pgTimeoutConfig } from './pg-pool';

export type MigrationClass = new () => MigrationInterface;

export async function migrateDatabase(ownerUrl: string, extra: readonly MigrationClass[] = []): Promise<string[]> {
  const ds = new DataSource({
    type: 'postgres',
    url: ownerUrl,
    migrations: [...EVENT_LOG_MIGRATIONS, ...extra],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    logging: false,
    // Bounded connect, statement and idle-in-transaction times (TypeORM's pool has its own 'error' listener).
    extra: { ...pgTimeoutConfig(), application_name: 'fjc-migrations' },
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

/** The application role's URL on the same server and database as the owner's. */
export function appRoleUrl(ownerUrl: string, role = 'fjc_app'): string {
  const url = new URL(ownerUrl);
  url.username = role;
  url.password = '';
  return url.href;
}
