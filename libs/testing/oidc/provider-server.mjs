// A real OpenID provider (oidc-provider) on loopback for tests, as a child process (the library
// is ESM-only). Configured by env: OIDC_PORT, OIDC_ISSUER, OIDC_KEYS (private JWKs, JSON),
// OIDC_AUDIENCE (the default resource) and OIDC_CLIENTS (JSON: [{id, secret, groups, ttl}]).
// Clients use the client-credentials grant; access tokens are JWTs for the requested resource
// (audience), with the client's groups in a "groups" claim. Prints "ready" when listening.
import Provider from 'oidc-provider';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const clients = JSON.parse(env('OIDC_CLIENTS'));
const byId = new Map(clients.map((c) => [c.id, c]));
const audience = env('OIDC_AUDIENCE');

const provider = new Provider(env('OIDC_ISSUER'), {
  clients: clients.map((c) => ({
    client_id: c.id,
    client_secret: c.secret,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_post',
  })),
  jwks: { keys: JSON.parse(env('OIDC_KEYS')) },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource, client) => ({
        scope: '',
        audience: resource,
        accessTokenTTL: byId.get(client.clientId)?.ttl ?? 300,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  extraTokenClaims: (_ctx, token) => ({ groups: byId.get(token.clientId)?.groups ?? [] }),
});
provider.listen(Number(env('OIDC_PORT')), '127.0.0.1', () => process.stdout.write('ready\n'));
