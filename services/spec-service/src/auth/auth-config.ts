// The spec-service's authentication settings, read once from the environment at bootstrap.
// Authentication is always on. Without FJC_AUTH_ISSUER only FJC API tokens are accepted.
//   FJC_AUTH_ISSUER            OIDC issuer URL; its JWKS comes from <issuer>/.well-known/openid-configuration
//   FJC_AUTH_JWKS_URL          JWKS URL, when discovery is not wanted
//   FJC_AUTH_AUDIENCE          the audience tokens must name (required with an issuer)
//   FJC_AUTH_ALGORITHMS        accepted JWS algorithms (default RS256,ES256,PS256,EdDSA)
//   FJC_AUTH_CLOCK_SKEW_S      tolerance for exp and nbf (default 30)
//   FJC_AUTH_GROUPS_CLAIM      the claim holding the caller's groups (default groups)
//   FJC_AUTH_JWKS_CACHE_S      how long a fetched JWKS is trusted (default 600)
//   FJC_AUTH_JWKS_COOLDOWN_S   least time between two JWKS fetches for an unknown key id (default 30)
//   FJC_AUTH_TOKEN_CACHE_S     how long an API token lookup is cached; a revocation takes at most this long (default 30)
//   FJC_AUTH_POLICY_FILE       grants of users and groups (YAML or JSON, see docs/auth.md)
//   FJC_AUTH_PROTECT_METRICS   "true": /metrics needs an authenticated caller with any grant
//   FJC_BOOTSTRAP_ADMIN_TOKEN_FILE  a file holding an API token to register as admin of "*" at start
export interface AuthConfig {
  readonly issuer: string | null;
  readonly jwksUrl: string | null;
  readonly audience: string | null;
  readonly algorithms: readonly string[];
  readonly clockSkewS: number;
  readonly groupsClaim: string;
  readonly jwksCacheS: number;
  readonly jwksCooldownS: number;
  readonly tokenCacheS: number;
  readonly policyFile: string | null;
  readonly protectMetrics: boolean;
  readonly bootstrapAdminTokenFile: string | null;
}

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

export class AuthConfigError extends Error {
  readonly code = 'FJC_AUTH_CONFIG_INVALID';
}

export function authConfigFromEnv(env: NodeJS.ProcessEnv): AuthConfig {
  const text = (name: string) => (env[name]?.trim() ? env[name].trim() : null);
  const seconds = (name: string, fallback: number) => {
    const raw = text(name);
    if (raw === null) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new AuthConfigError(`${name} must be a number of seconds, got ${JSON.stringify(raw)}`);
    return n;
  };
  const issuer = text('FJC_AUTH_ISSUER');
  const audience = text('FJC_AUTH_AUDIENCE');
  if (issuer !== null && audience === null) throw new AuthConfigError('FJC_AUTH_AUDIENCE is required when FJC_AUTH_ISSUER is set');
  return {
    issuer,
    jwksUrl: text('FJC_AUTH_JWKS_URL'),
    audience,
    algorithms: (text('FJC_AUTH_ALGORITHMS') ?? 'RS256,ES256,PS256,EdDSA')
      .split(',')
      .map((a) => a.trim())
      // Never "none", and never HMAC: its key would be a secret shared with every verifier.
      .filter((a) => a !== '' && a.toLowerCase() !== 'none' && !/^HS/i.test(a)),
    clockSkewS: seconds('FJC_AUTH_CLOCK_SKEW_S', 30),
    groupsClaim: text('FJC_AUTH_GROUPS_CLAIM') ?? 'groups',
    jwksCacheS: seconds('FJC_AUTH_JWKS_CACHE_S', 600),
    jwksCooldownS: seconds('FJC_AUTH_JWKS_COOLDOWN_S', 30),
    tokenCacheS: seconds('FJC_AUTH_TOKEN_CACHE_S', 30),
    policyFile: text('FJC_AUTH_POLICY_FILE'),
    protectMetrics: text('FJC_AUTH_PROTECT_METRICS') === 'true',
    bootstrapAdminTokenFile: text('FJC_BOOTSTRAP_ADMIN_TOKEN_FILE'),
  };
}
