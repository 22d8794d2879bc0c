// The verifier's rejection cases with hand-made keys and tokens (the only place they are used;
// the HTTP tests get their tokens from a real OpenID provider).
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OidcVerifier } from './oidc-verifier';

const ISSUER = 'https://idp.test';
const AUDIENCE = 'urn:fjc';
const config = { issuer: ISSUER, jwksUrl: null, audience: AUDIENCE, algorithms: ['RS256'], clockSkewS: 30, jwksCacheS: 600, jwksCooldownS: 30 };
const now = () => Math.floor(Date.now() / 1000);

let published: { privateKey: CryptoKey; jwk: JWK };
let stranger: { privateKey: CryptoKey; jwk: JWK };
let verifier: OidcVerifier;

async function keyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

function token(claims: Record<string, unknown> = {}, key = published, kid = key.jwk.kid as string) {
  return new SignJWT({ sub: 'alice', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer((claims.iss as string) ?? ISSUER)
    .setAudience((claims.aud as string) ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime((claims.exp as number) ?? now() + 300)
    .sign(key.privateKey);
}

beforeAll(async () => {
  published = await keyPair('k1');
  stranger = await keyPair('k2');
  verifier = new OidcVerifier(config, createLocalJWKSet({ keys: [published.jwk] }));
});

describe('OidcVerifier', () => {
  it('accepts a token of the issuer for FJC', async () => {
    expect(await verifier.verify(await token())).toMatchObject({ ok: true, claims: { sub: 'alice', iss: ISSUER } });
  });

  it('accepts a token expired less than the clock skew ago', async () => {
    expect((await verifier.verify(await token({ exp: now() - 10 }))).ok).toBe(true);
  });

  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const cases: Array<[string, () => Promise<string>, RegExp]> = [
    ['expired', () => token({ exp: now() - 120 }), /expired/],
    ['not yet valid', async () => new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime(now() + 600).setNotBefore(now() + 120).sign(published.privateKey), /nbf/],
    ['wrong audience', () => token({ aud: 'urn:other' }), /aud/],
    ['wrong issuer', () => token({ iss: 'https://evil.test' }), /iss/],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, exp: now() + 300 })}.`, /algorithm|not valid/],
    ['bad signature', async () => {
      const [h, , sig] = (await token()).split('.');
      return `${h}.${b64({ sub: 'root', iss: ISSUER, aud: AUDIENCE, exp: now() + 300 })}.${sig}`;
    }, /signature/],
    ['unknown key id', () => token({}, stranger), /key/],
    ['a published key id on a stranger\'s signature', () => token({}, stranger, 'k1'), /signature/],
    ['no exp', async () => new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(ISSUER).setAudience(AUDIENCE).sign(published.privateKey), /exp/],
    ['not a JWT', async () => 'garbage', /not a valid JWT|not valid/],
  ];
  it.each(cases)('refuses %s', async (_name, make, reason) => {
    const result = await verifier.verify(await make());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('refuses an HS256 token even when its secret is the published key material', async () => {
    const hs = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime(now() + 300).sign(new TextEncoder().encode(JSON.stringify(published.jwk)));
    expect((await verifier.verify(hs)).ok).toBe(false);
  });

  it('refuses everything when no issuer is configured', async () => {
    const off = new OidcVerifier({ ...config, issuer: null }, createLocalJWKSet({ keys: [published.jwk] }));
    expect(await off.verify(await token())).toMatchObject({ ok: false, reason: expect.stringMatching(/API token/) });
  });

  it('says so when the identity provider cannot be reached, so a Kafka command waits instead of being refused', async () => {
    // Port 1 on loopback: nothing listens, the discovery fetch is refused at once.
    const unreachable = new OidcVerifier({ ...config, issuer: 'http://127.0.0.1:1' });
    expect(await unreachable.verify(await token({ iss: 'http://127.0.0.1:1' }))).toMatchObject({ ok: false, unreachable: true, reason: expect.stringMatching(/could not be reached/) });
    // A token that is merely bad is judged, not waited on.
    expect(await verifier.verify(await token({ aud: 'urn:other' }))).not.toHaveProperty('unreachable');
  });
});

describe('OidcVerifier against a JWKS endpoint (a local HTTP server playing the identity provider)', () => {
  let server: Server;
  let answer: { status: number; body: string } = { status: 200, body: '' };
  let jwksUrl: string;
  const remote = () => new OidcVerifier({ ...config, jwksUrl });

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('accepts a token signed with a published key, and refuses a bad signature without calling the provider down', async () => {
    answer = { status: 200, body: JSON.stringify({ keys: [published.jwk] }) };
    expect(await remote().verify(await token())).toMatchObject({ ok: true });
    const forged = await token({}, stranger, 'k1');
    const refused = await remote().verify(forged);
    expect(refused).toMatchObject({ ok: false, reason: 'the token signature is not valid' });
    expect(refused).not.toHaveProperty('unreachable');
  });

  it.each([500, 502, 503])('counts a JWKS answer %i as the provider being unreachable (the caller waits), not a refusal', async (status) => {
    answer = { status, body: '{"error":"down"}' };
    expect(await remote().verify(await token())).toEqual({ ok: false, unreachable: true, reason: expect.stringMatching(/could not be reached/) });
  });

  it.each([401, 404])('refuses when the JWKS endpoint answers %i', async (status) => {
    answer = { status, body: '{}' };
    const refused = await remote().verify(await token());
    expect(refused).toMatchObject({ ok: false });
    expect(refused).not.toHaveProperty('unreachable');
  });

  it('counts a refused connection to the JWKS endpoint as unreachable', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const port = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(port));
      });
    });
    const down = new OidcVerifier({ ...config, jwksUrl: `http://127.0.0.1:${closed}/jwks` });
    expect(await down.verify(await token())).toMatchObject({ ok: false, unreachable: true });
  });
});
