// The environment npm start (scripts/run-system.mjs) gives each service process: its own database
// settings and nothing that belongs to the migration step, the CLI or another service.
// - Out for every service: the owner's DATABASE_URL (and libpq's PGUSER, PGPASSWORD, PGPASSFILE,
//   which pg would use as defaults), the CLI's token (FJC_TOKEN, FJC_TOKEN_FILE), and
//   FJC_PG_PASSWORD_DIR, the folder of every role's password.
// - In: FJC_SERVICE_DATABASE_URL, the owner's server and database with the service's own role as
//   user and no password; and, when FJC_PG_PASSWORD_DIR is set, a private folder holding a copy
//   of that service's password file only (mode 0700/0600), as FJC_PG_PASSWORD_DIR.
// - Only the spec-service gets FJC_BOOTSTRAP_ADMIN_TOKEN_FILE; only the deployer gets
//   FJC_SECRETS_DIR and the FJC_SECRET_* variables (the secrets jobs refer to).
// - Memory (scripts/service-memory.json, the same the tests' services and the image use): glibc
//   keeps 2 malloc arenas, not 8 per core, and V8's young generation is 4 MB semi-spaces, not
//   16; measured at 1,000 jobs (docs/benchmarks.md, P2) this took each service from 190-370 MB
//   RSS to 150-215 MB at the same throughput. A NODE_OPTIONS of the caller's comes after (wins).
// Everything else (Kafka, ports, log level, policy files) passes through unchanged.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const OWNER_ONLY = ['DATABASE_URL', 'PGUSER', 'PGPASSWORD', 'PGPASSFILE', 'FJC_PG_PASSWORD_DIR', 'FJC_TOKEN', 'FJC_TOKEN_FILE'];
const ONLY_FOR = {
  FJC_BOOTSTRAP_ADMIN_TOKEN_FILE: 'spec-service',
  FJC_SECRETS_DIR: 'deployer',
};
const DEFAULT_OWNER_URL = 'postgres://postgres@127.0.0.1:5432/fjc';
const MEMORY = JSON.parse(readFileSync(new URL('./service-memory.json', import.meta.url), 'utf8'));

/** The role name a service connects as (libs/event-log's rule: FJC_PG_ROLE_PREFIX or the database, then the service). */
export function roleNameOf(service, env, root) {
  const { serviceRoleName, databaseOf } = createRequire(import.meta.url)(join(root, 'libs', 'event-log', 'dist', 'index.js'));
  return serviceRoleName(service, databaseOf(env.DATABASE_URL ?? DEFAULT_OWNER_URL), env);
}

/**
 * The environment of one service. Pure: `passwordDir` is the private folder the caller made with
 * `privatePasswordDir` (or undefined when FJC_PG_PASSWORD_DIR is not set).
 */
export function serviceEnv(service, env, { roleName, passwordDir }) {
  const out = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || OWNER_ONLY.includes(key)) continue;
    if (key in ONLY_FOR && ONLY_FOR[key] !== service) continue;
    if (key.startsWith('FJC_SECRET_') && service !== 'deployer') continue;
    out[key] = value;
  }
  if (env.FJC_SERVICE_DATABASE_URL === undefined) {
    const url = new URL(env.DATABASE_URL ?? DEFAULT_OWNER_URL);
    url.username = roleName;
    url.password = '';
    out.FJC_SERVICE_DATABASE_URL = url.href;
  }
  if (passwordDir !== undefined) out.FJC_PG_PASSWORD_DIR = passwordDir;
  out.MALLOC_ARENA_MAX = env.MALLOC_ARENA_MAX ?? MEMORY.MALLOC_ARENA_MAX;
  out.NODE_OPTIONS = [MEMORY.NODE_OPTIONS, env.NODE_OPTIONS].filter(Boolean).join(' ');
  return out;
}

/** A folder under `runDir` with a copy of `service`'s password file from FJC_PG_PASSWORD_DIR only; undefined when that is not set. */
export function privatePasswordDir(service, env, runDir) {
  if (!env.FJC_PG_PASSWORD_DIR) return undefined;
  const dir = join(runDir, 'pg-passwords', service);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(join(runDir, 'pg-passwords'), 0o700);
  const file = join(dir, service);
  try {
    copyFileSync(join(env.FJC_PG_PASSWORD_DIR, service), file);
    chmodSync(file, 0o600);
  } catch (err) {
    // No file for this service: the service says so itself (FJC_PG_ROLE_CONFIG), as it would with the shared folder.
    if (err.code !== 'ENOENT') throw err;
  }
  return dir;
}
