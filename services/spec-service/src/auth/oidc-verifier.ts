// Verifies OIDC bearer tokens (JWTs) with jose: signature against the issuer's JWKS, then
// issuer, audience, exp and nbf (with the configured clock skew) and the allowed algorithms
// ("none" is never one). The JWKS is found by discovery (or FJC_AUTH_JWKS_URL) and cached by
// jose's remote key set: a token with an unknown key id makes it fetch the set again, at most
// once per cooldown, which is how a key rotated at the provider is picked up. A JWKS endpoint that
// cannot be reached, times out or answers 5xx is the provider being down (`unreachable`: a Kafka
// command waits, HTTP answers 503); a 4xx or a bad signature is a refusal.
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from './auth-config';

export type VerifiedClaims = JWTPayload & { readonly iss: string; readonly sub: string };
/** `unreachable`: the token was not judged, because the identity provider (discovery or JWKS)
 *  could not be reached; a caller that can wait (a Kafka command) tries again later. */
export type VerifiedToken = { readonly ok: true; readonly claims: VerifiedClaims } | { readonly ok: false; readonly reason: string; readonly unreachable?: true };

type VerifierConfig = Pick<AuthConfig, 'issuer' | 'jwksUrl' | 'audience' | 'algorithms' | 'clockSkewS' | 'jwksCacheS' | 'jwksCooldownS'>;

export class OidcVerifier {
  private keys: Promise<JWTVerifyGetKey> | null;

  /** `keys`: a fixed key set instead of the issuer's (unit tests of the rejection cases). */
  constructor(
    private readonly config: VerifierConfig,
    keys?: JWTVerifyGetKey,
  ) {
    this.keys = keys ? Promise.resolve(keys) : null;
  }

  get enabled(): boolean {
    return this.config.issuer !== null;
  }

  async verify(token: string): Promise<VerifiedToken> {
    const { issuer, audience } = this.config;
    if (issuer === null || audience === null) return { ok: false, reason: 'no identity provider is configured; use an FJC API token' };
    try {
      const { payload } = await jwtVerify(token, await this.keySet(), {
        issuer,
        audience,
        algorithms: [...this.config.algorithms],
        clockTolerance: this.config.clockSkewS,
        requiredClaims: ['exp', 'sub'],
      });
      return { ok: true, claims: payload as VerifiedClaims };
    } catch (err) {
      const unreachable = !(err instanceof errors.JOSEError) || err instanceof errors.JWKSTimeout;
      return { ok: false, reason: reasonOf(err), ...(unreachable ? { unreachable: true as const } : {}) };
    }
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    if (this.keys === null) {
      this.keys = this.jwksUrl().then((url) =>
        createRemoteJWKSet(new URL(url), {
          cacheMaxAge: this.config.jwksCacheS * 1000,
          cooldownDuration: this.config.jwksCooldownS * 1000,
          timeoutDuration: 5000,
          [customFetch]: fetchJwks,
        }),
      );
      // A provider that is down now may be up for the next request.
      this.keys.catch(() => (this.keys = null));
    }
    return this.keys;
  }

  private async jwksUrl(): Promise<string> {
    if (this.config.jwksUrl !== null) return this.config.jwksUrl;
    const url = `${String(this.config.issuer).replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`discovery at ${url} answered ${res.status}`);
    const doc = (await res.json()) as { jwks_uri?: unknown };
    if (typeof doc.jwks_uri !== 'string') throw new Error(`discovery at ${url} names no jwks_uri`);
    return doc.jwks_uri;
  }
}

/** The provider is down, not the token bad: the JWKS endpoint answered 5xx. Not a JOSEError, so `unreachable`. */
class JwksUnavailableError extends Error {}

/** fetch for jose's key set: a 5xx becomes JwksUnavailableError; other answers go to jose (which refuses anything but 200). */
async function fetchJwks(url: string, options: RequestInit): Promise<Response> {
  const res = await fetch(url, options);
  if (res.status >= 500) {
    await res.body?.cancel();
    throw new JwksUnavailableError(`JWKS at ${url} answered ${res.status}`);
  }
  return res;
}

/** Why a token was refused, in words safe to return to the caller. */
function reasonOf(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `the token's ${err.claim} claim is not acceptable`;
  if (err instanceof errors.JOSEAlgNotAllowed) return 'the token is signed with an algorithm that is not allowed';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is not valid';
  if (err instanceof errors.JWKSNoMatchingKey) return 'the token is signed with a key the issuer does not publish';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return 'the token is not a valid JWT';
  if (err instanceof errors.JWKSTimeout) return 'the token could not be verified (the identity provider did not answer in time)';
  if (err instanceof errors.JOSEError) return `the token is not valid (${err.code})`;
  return 'the token could not be verified (the identity provider could not be reached)';
}
