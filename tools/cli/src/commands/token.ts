// `fjc token create|list|revoke`: the spec-service's static API tokens, for automation. Run
// against the database (DATABASE_URL or --database-url, as the owner the migrations use), which
// is also how the first admin token comes to exist. A new token is printed once; only its
// SHA-256 is stored. A revoked token stops working within one cache period of the spec-service
// (FJC_AUTH_TOKEN_CACHE_S, default 30 s).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { Pool } from 'pg';
import { pgClientConfig } from '@fjc/event-log';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { formatOf, printData, withOutput, type OutputOptions } from '../output';
import { table } from '../table';

const ROLES = ['viewer', 'operator', 'admin'];
const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const NAMESPACE = /^(\*|[a-z0-9][a-z0-9-]{0,62})$/;

interface DbOptions {
  databaseUrl?: string;
}

function pool(options: DbOptions): Pool {
  return new Pool({ ...pgClientConfig(options.databaseUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/fjc'), max: 1 });
}

/** The token format the spec-service accepts: fjc_ and 256 random bits, base64url. */
export function newApiToken(): string {
  return `fjc_${randomBytes(32).toString('base64url')}`;
}

export function apiTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function registerToken(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  const token = program.command('token').description('create, list and revoke API tokens (needs DATABASE_URL)');

  token
    .command('create')
    .description('create an API token with one role in one namespace ("*": all) and print it, once')
    .requiredOption('--name <name>', 'a name for the token, unique among active tokens')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .requiredOption('--namespace <ns>', 'the namespace the role holds in, or "*"')
    .option('--impersonate', 'the token may act on behalf of a user (X-FJC-On-Behalf-Of)')
    .option('--database-url <url>', 'PostgreSQL URL (default: DATABASE_URL)')
    .action(async (options: DbOptions & { name: string; role: string; namespace: string; impersonate?: boolean }) => {
      const problems = [
        NAME.test(options.name) ? null : `--name must match ${NAME.source}`,
        ROLES.includes(options.role) ? null : `--role must be one of ${ROLES.join(', ')}`,
        NAMESPACE.test(options.namespace) ? null : '--namespace must be a namespace name or "*"',
      ].filter((p) => p !== null);
      if (problems.length > 0) {
        for (const p of problems) io.err(`fjc token create: ${p}\n`);
        return finish(EXIT.usage);
      }
      const value = newApiToken();
      const id = randomUUID();
      const db = pool(options);
      try {
        await db.query(
          'insert into api_tokens (id, name, token_hash, role, namespace, may_impersonate, created_by) values ($1, $2, $3, $4, $5, $6, $7)',
          [id, options.name, apiTokenHash(value), options.role, options.namespace, options.impersonate === true, `fjc token create (${loginName()})`],
        );
      } catch (err) {
        if ((err as { code?: string }).code === '23505') {
          io.err(`FJC_TOKEN_NAME_TAKEN: an active token is already named ${options.name}\n`);
          return finish(EXIT.invalid);
        }
        throw err;
      } finally {
        await db.end();
      }
      io.err(`created token ${id} (${options.name}: ${options.role} in ${options.namespace}); it is shown only now:\n`);
      io.out(`${value}\n`);
      finish(EXIT.ok);
    });

  withOutput(
    token
      .command('list')
      .description('list API tokens (never their values)')
      .option('--all', 'include revoked tokens')
      .option('--database-url <url>', 'PostgreSQL URL (default: DATABASE_URL)'),
  ).action(async (options: DbOptions & OutputOptions & { all?: boolean }) => {
      const db = pool(options);
      try {
        const res = await db.query<{ id: string; name: string; role: string; namespace: string; may_impersonate: boolean; created_at: Date; revoked_at: Date | null }>(
          `select id, name, role, namespace, may_impersonate, created_at, revoked_at from api_tokens where $1 or revoked_at is null order by created_at`,
          [options.all === true],
        );
        const tokens = res.rows.map((r) => ({
          id: r.id,
          name: r.name,
          role: r.role,
          namespace: r.namespace,
          mayImpersonate: r.may_impersonate,
          createdAt: r.created_at.toISOString(),
          revokedAt: r.revoked_at?.toISOString() ?? null,
        }));
        printData(io, formatOf(options), { tokens }, () =>
          table(
            ['ID', 'NAME', 'ROLE', 'NAMESPACE', 'IMPERSONATE', 'CREATED', 'REVOKED'],
            tokens.map((t) => [t.id, t.name, t.role, t.namespace, t.mayImpersonate ? 'yes' : 'no', t.createdAt, t.revokedAt ?? '-']),
          ),
        );
        finish(EXIT.ok);
      } finally {
        await db.end();
      }
    });

  token
    .command('revoke')
    .description('revoke an API token by id; it stops working within one cache period of the spec-service')
    .argument('<id>', 'the token id (fjc token list)')
    .option('--database-url <url>', 'PostgreSQL URL (default: DATABASE_URL)')
    .action(async (id: string, options: DbOptions) => {
      const db = pool(options);
      try {
        const res = await db.query('update api_tokens set revoked_at = now() where id::text = $1 and revoked_at is null', [id]);
        if ((res.rowCount ?? 0) === 0) {
          io.err(`FJC_TOKEN_NOT_FOUND: no active token with id ${id}\n`);
          return finish(EXIT.invalid);
        }
        io.out(`revoked ${id}\n`);
        finish(EXIT.ok);
      } finally {
        await db.end();
      }
    });
}

function loginName(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
