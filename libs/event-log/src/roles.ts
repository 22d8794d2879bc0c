// Least privilege in PostgreSQL: every service connects as a role of its own, made and granted by
// the migration step (the owner's credentials), never by the service. A role gets SELECT and
// INSERT on the log (UPDATE, DELETE and TRUNCATE are refused to everyone by triggers), may append
// only its own event types as its own producer (log_writers, checked by the insert trigger), and
// gets exactly the privileges it lists on its own tables.
//
// Roles are cluster-wide while FJC's objects live in one database: a role's name starts with a
// prefix, by default the database's name (`fjc_deployer` for database `fjc`), so several FJC
// databases on one server (test worlds, staging beside production) never share a role.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queryable } from './sql';
import { APP_ROLE } from './migrations';

export type TablePrivilege = 'select' | 'insert' | 'update' | 'delete';

export interface ServiceGrants {
  /** The service's name: its role's suffix, its producer name in events, its password file's name. */
  readonly service: string;
  /** Event types the service appends (as producer `service`). */
  readonly eventTypes: readonly string[];
  /** The service's own tables and what it does with them. */
  readonly tables: Readonly<Record<string, readonly TablePrivilege[]>>;
}

/** What every service does with the log's tables: append and read the log, its inbox, the relay's checkpoint. */
export const LOG_TABLE_GRANTS: Readonly<Record<string, readonly TablePrivilege[]>> = {
  event_log: ['select', 'insert'],
  inbox: ['select', 'insert', 'update', 'delete'],
  log_checkpoint: ['select', 'insert', 'update', 'delete'],
  log_writers: ['select'],
  // fjc log verify links a stream's first live row to the anchor its archived part left.
  event_log_anchor: ['select'],
  // A service checks at start that its migrations are applied.
  schema_migrations: ['select'],
};

export class RoleConfigError extends Error {
  readonly code = 'FJC_PG_ROLE_CONFIG';
  constructor(message: string) {
    super(`FJC_PG_ROLE_CONFIG: ${message}`);
    this.name = 'RoleConfigError';
  }
}

const MAX_IDENTIFIER = 63;

/** The database named in a PostgreSQL URL. */
export function databaseOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new RoleConfigError(`the URL names no database`);
  return name;
}

/** `<prefix>_<service>` with `-` as `_`; prefix FJC_PG_ROLE_PREFIX, else the database's name. */
export function serviceRoleName(service: string, database: string, env: NodeJS.ProcessEnv = process.env): string {
  const prefix = env.FJC_PG_ROLE_PREFIX || database;
  const name = `${prefix}_${service}`.replace(/-/g, '_').toLowerCase();
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new RoleConfigError(`role name "${name}" (FJC_PG_ROLE_PREFIX or the database name, then the service) may hold only letters, digits and _`);
  if (Buffer.byteLength(name) > MAX_IDENTIFIER) throw new RoleConfigError(`role name "${name}" is longer than PostgreSQL's ${MAX_IDENTIFIER} bytes; set a shorter FJC_PG_ROLE_PREFIX`);
  return name;
}

/** The service role's password from FJC_PG_PASSWORD_DIR/<service> (a mounted secret), or none (trust or certificate authentication). */
export function servicePassword(service: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env.FJC_PG_PASSWORD_DIR;
  if (!dir) return undefined;
  const file = join(dir, service);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RoleConfigError(`FJC_PG_PASSWORD_DIR: cannot read the password file of ${service} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const password = text.replace(/\r?\n$/, '');
  if (password === '') throw new RoleConfigError(`FJC_PG_PASSWORD_DIR: the password file of ${service} is empty`);
  return password;
}

/**
 * The URL a service connects with at run time: FJC_SERVICE_DATABASE_URL, or else DATABASE_URL's
 * server and database as the service's role; its password (FJC_PG_PASSWORD_DIR) goes into the
 * URL here, in memory only. TLS settings in the URL (sslmode=verify-full, sslrootcert, sslcert,
 * sslkey) reach pg untouched, except that a role taken from DATABASE_URL does not inherit the
 * owner's client certificate (sslcert, sslkey): it keeps only the server verification settings.
 */
export function serviceDatabaseUrl(service: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = env.FJC_SERVICE_DATABASE_URL;
  const url = new URL(given ?? env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/fjc');
  if (!given) {
    url.username = serviceRoleName(service, databaseOf(url.href), env);
    url.password = '';
    // Only when present: setting searchParams re-encodes the whole query (harmless to pg, which decodes it).
    for (const p of ['sslcert', 'sslkey']) if (url.searchParams.has(p)) url.searchParams.delete(p);
  }
  const password = servicePassword(service, env);
  if (password !== undefined) url.password = encodeURIComponent(password);
  return url.href;
}

/**
 * A SCRAM-SHA-256 verifier of a password, as libpq's PQencryptPasswordConn (psql's \password)
 * makes it: the server stores this, and the password itself never travels in a statement that a
 * server log could keep.
 */
export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * Makes (or brings up to date) a service's role in the owner's connection: LOGIN, its password
 * when given, exactly the grants listed (anything else it held in this database's public schema
 * is revoked), and its row in log_writers. Run by the migration step after the migrations.
 */
export async function provisionServiceRole(owner: Queryable, role: string, grants: ServiceGrants, password?: string): Promise<void> {
  const r = quoteIdent(role);
  // Two migration steps at once (parallel deploys, test worlds on one server) may both create it.
  await owner.query(`
    do $$ begin
      create role ${r} login;
    exception when duplicate_object or unique_violation then null;
    end $$`);
  if (password !== undefined) await owner.query(`alter role ${r} password ${quoteLiteral(scramSha256Verifier(password))}`);
  const db = (await owner.query<{ db: string }>('select current_database() as db')).rows[0].db;
  await owner.query(`grant connect on database ${quoteIdent(db)} to ${r}`);
  await owner.query(`grant usage on schema public to ${r}`);
  await owner.query(`revoke all on all tables in schema public from ${r}`);
  await owner.query(`revoke all on all sequences in schema public from ${r}`);
  for (const [table, privileges] of Object.entries({ ...LOG_TABLE_GRANTS, ...grants.tables })) {
    if (privileges.length > 0) await owner.query(`grant ${privileges.join(', ')} on ${quoteIdent(table)} to ${r}`);
  }
  await owner.query(
    `insert into log_writers (role_name, producer, event_types) values ($1, $2, $3)
     on conflict (role_name) do update set producer = excluded.producer, event_types = excluded.event_types`,
    [role, grants.service, [...grants.eventTypes]],
  );
  // The one role all services shared before: nothing in this database any more.
  await owner.query(`
    do $$ begin
      if exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
        revoke all on all tables in schema public from ${APP_ROLE};
      end if;
    end $$`);
}
