// From a request's Authorization header to a Principal: an FJC API token (fjc_...) is looked
// up by its hash, anything else must be an OIDC JWT that OidcVerifier accepts. A caller allowed
// to impersonate may name a user in X-FJC-On-Behalf-Of; the request then runs with that user's
// grants from the policy file, and both identities are recorded.
import type { IncomingHttpHeaders } from 'node:http';
import { ApiTokenLookup, isApiToken } from './api-tokens';
import type { AccessPolicy } from './access-policy';
import type { OidcVerifier, VerifiedClaims } from './oidc-verifier';
import { API_TOKEN_ISSUER, type Principal } from './principal';

export type Authentication =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: string; readonly status: 401 | 403; readonly providerUnreachable?: true };

export const ON_BEHALF_OF_HEADER = 'x-fjc-on-behalf-of';

export class Authenticator {
  constructor(
    private readonly tokens: ApiTokenLookup,
    private readonly oidc: OidcVerifier,
    private readonly policy: AccessPolicy,
    private readonly groupsClaim: string,
    private readonly oidcIssuer: string | null,
  ) {}

  async authenticate(headers: IncomingHttpHeaders): Promise<Authentication> {
    const header = single(headers.authorization)?.trim();
    if (!header) return { ok: false, status: 401, reason: 'this request needs an Authorization: Bearer header' };
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return { ok: false, status: 401, reason: 'the Authorization header must be "Bearer <token>"' };
    const caller = await this.principalOf(match[1]);
    if (!caller.ok) return caller;
    const onBehalfOf = single(headers[ON_BEHALF_OF_HEADER])?.trim();
    if (!onBehalfOf) return caller;
    if (!caller.principal.mayImpersonate) return { ok: false, status: 403, reason: `${caller.principal.subject} may not act on behalf of another user` };
    if (this.oidcIssuer === null || onBehalfOf.length > 200) return { ok: false, status: 403, reason: 'X-FJC-On-Behalf-Of needs an identity provider (FJC_AUTH_ISSUER) whose subject it names' };
    return {
      ok: true,
      principal: {
        kind: 'user',
        issuer: this.oidcIssuer,
        subject: onBehalfOf,
        groups: [],
        grants: this.policy.grantsFor(this.oidcIssuer, onBehalfOf, []),
        mayImpersonate: false,
        via: caller.principal,
      },
    };
  }

  private async principalOf(token: string): Promise<Authentication> {
    if (isApiToken(token)) {
      const record = await this.tokens.find(token);
      if (record === null) return { ok: false, status: 401, reason: 'the API token is unknown or revoked' };
      return {
        ok: true,
        principal: {
          kind: 'service',
          issuer: API_TOKEN_ISSUER,
          subject: `token:${record.name}`,
          name: record.name,
          tokenId: record.id,
          groups: [],
          grants: [record.grant],
          mayImpersonate: record.mayImpersonate,
        },
      };
    }
    const verified = await this.oidc.verify(token);
    if (!verified.ok) return { ok: false, status: 401, reason: verified.reason, ...(verified.unreachable ? { providerUnreachable: true as const } : {}) };
    const { claims } = verified;
    const groups = groupsOf(claims[this.groupsClaim]);
    return {
      ok: true,
      principal: {
        kind: 'user',
        issuer: claims.iss,
        subject: claims.sub,
        ...nameOf(claims),
        groups,
        grants: this.policy.grantsFor(claims.iss, claims.sub, groups),
        mayImpersonate: this.policy.mayImpersonate(claims.iss, claims.sub),
      },
    };
  }
}

function groupsOf(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(/[\s,]+/).filter((g) => g !== '');
  return Array.isArray(claim) ? claim.filter((g): g is string => typeof g === 'string') : [];
}

function nameOf(claims: VerifiedClaims): { name?: string } {
  for (const key of ['name', 'preferred_username', 'email', 'client_id']) {
    const value = claims[key];
    if (typeof value === 'string' && value !== '') return { name: value.slice(0, 200) };
  }
  return {};
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
