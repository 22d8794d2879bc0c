// FJC API tokens for automation: "fjc_" and 43 base64url characters (256 random bits). Only the
// SHA-256 of a token is stored (api_tokens); the `fjc token` commands of the CLI create, list
// and revoke them. Lookups are cached for FJC_AUTH_TOKEN_CACHE_S, so a revocation takes effect
// within one cache period on every replica.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Queryable } from '@fjc/event-log';
import type { Grant, Role } from './principal';

export const API_TOKEN_PREFIX = 'fjc_';

export function isApiToken(token: string): boolean {
  return token.startsWith(API_TOKEN_PREFIX);
}

export function apiTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface ApiTokenRecord {
  readonly id: string;
  readonly name: string;
  readonly grant: Grant;
  readonly mayImpersonate: boolean;
}

interface Cached {
  readonly record: ApiTokenRecord | null;
  readonly until: number;
}

export class ApiTokenLookup {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly db: Queryable,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The active token with this value, or null (unknown or revoked). */
  async find(token: string): Promise<ApiTokenRecord | null> {
    const hash = apiTokenHash(token);
    const hit = this.cache.get(hash);
    if (hit && hit.until > this.now()) return hit.record;
    const res = await this.db.query<{ id: string; name: string; role: Role; namespace: string; may_impersonate: boolean }>(
      'select id, name, role, namespace, may_impersonate from api_tokens where token_hash = $1 and revoked_at is null',
      [hash],
    );
    const row = res.rows[0];
    const record = row ? { id: row.id, name: row.name, grant: { role: row.role, namespace: row.namespace }, mayImpersonate: row.may_impersonate } : null;
    // Bounded: unknown tokens are cached too (a flood of guesses must not reach the database
    // each time), so the map is cleared rather than allowed to grow without end.
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { record, until: this.now() + this.cacheMs });
    return record;
  }
}

/**
 * Registers the token in FJC_BOOTSTRAP_ADMIN_TOKEN_FILE as admin of every namespace, once: a
 * token that is already known (even revoked) is left as it is. This is how the first admin
 * exists; `npm start` and the test worlds write such a file.
 */
export async function registerBootstrapToken(db: Queryable, file: string, newId: () => string): Promise<'registered' | 'known'> {
  const token = readFileSync(file, 'utf8').trim();
  if (!isApiToken(token) || token.length < 40) {
    throw Object.assign(new Error(`${file} must hold an FJC API token (fjc_ and at least 36 more characters)`), { code: 'FJC_AUTH_CONFIG_INVALID' });
  }
  const res = await db.query(
    `insert into api_tokens (id, name, token_hash, role, namespace, created_by)
     values ($1, 'bootstrap-admin-' || left($2, 8), $2, 'admin', '*', 'FJC_BOOTSTRAP_ADMIN_TOKEN_FILE')
     on conflict do nothing`,
    [newId(), apiTokenHash(token)],
  );
  return (res.rowCount ?? 0) > 0 ? 'registered' : 'known';
}
