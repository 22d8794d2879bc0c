// api_tokens: static API tokens for automation. Only the SHA-256 of a token is kept; the token
// itself is shown once, when it is created. Each token holds one grant (a role in a namespace
// or in every namespace, "*"). A revoked token keeps its row so the audit trail can name it.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiTokens1767000000000 implements MigrationInterface {
  name = 'ApiTokens1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table api_tokens (
        id uuid primary key,
        name text not null,
        token_hash text not null unique,
        role text not null check (role in ('viewer', 'operator', 'admin')),
        namespace text not null,
        may_impersonate boolean not null default false,
        created_at timestamptz not null default now(),
        created_by text not null,
        revoked_at timestamptz
      )`);
    await q.query(`create unique index api_tokens_active_name on api_tokens (name) where revoked_at is null`);
    // The service looks tokens up and registers the bootstrap token; creating, listing and
    // revoking others is the CLI's, with the owner's DATABASE_URL.
    await q.query(`grant select, insert on api_tokens to fjc_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table if exists api_tokens`);
  }
}
