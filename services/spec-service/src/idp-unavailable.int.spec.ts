// The identity provider down, in the built spec-service on the real stack: a local HTTP server
// plays the IdP's JWKS endpoint. While it answers 5xx a JWT is not judged: HTTP answers 503
// FJC_IDP_UNAVAILABLE (not 401), and a command on spec.commands waits instead of being rejected,
// then is accepted once the endpoint answers again. A 4xx from the endpoint is a refusal (401).
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { Consumer, Producer } from 'kafkajs';
import { eventually } from '@fjc/testing';
import { startSpecService, type SpecServiceWorld } from './testing/spec-service-world';

const ISSUER = 'https://idp.test';
const AUDIENCE = 'urn:fjc';
const dir = mkdtempSync(join(tmpdir(), 'fjc-idp-down-'));
let idp: Server;
let jwks: { status: number; body: string };
let published: JWK;
let privateKey: CryptoKey;
let s: SpecServiceWorld;
let producer: Producer;
let consumer: Consumer;
const results: { commandId: string; status: string }[] = [];

const jwt = (kid = 'k1') =>
  new SignJWT({ sub: 'alice' })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);
const up = () => (jwks = { status: 200, body: JSON.stringify({ keys: [published] }) });

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  published = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  jwks = { status: 503, body: '{"error":"down"}' };
  idp = createServer((_req, res) => void res.writeHead(jwks.status, { 'content-type': 'application/json' }).end(jwks.body));
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  const policy = join(dir, 'auth-policy.yaml');
  writeFileSync(policy, `grants:\n  - { subject: alice, issuer: "${ISSUER}", role: operator, namespace: default }\n`);
  s = await startSpecService({
    FJC_AUTH_ISSUER: ISSUER,
    FJC_AUTH_AUDIENCE: AUDIENCE,
    FJC_AUTH_JWKS_URL: `http://127.0.0.1:${(idp.address() as AddressInfo).port}/jwks`,
    FJC_AUTH_JWKS_COOLDOWN_S: '1',
    FJC_AUTH_POLICY_FILE: policy,
  });
  producer = s.kafka.producer();
  await producer.connect();
  consumer = s.kafka.consumer({ groupId: `idp-down-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [`${s.world.topicPrefix}spec.command-results`], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void results.push(JSON.parse(message.value?.toString() ?? '{}')) });
});
afterAll(async () => {
  await consumer?.disconnect();
  await producer?.disconnect();
  await s?.close();
  await new Promise((resolve) => idp?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('the identity provider answering 5xx', () => {
  it('HTTP: 503 FJC_IDP_UNAVAILABLE with Retry-After, not 401', async () => {
    const res = await s.http('/api/v1/jobs', { headers: { authorization: `Bearer ${await jwt()}` } });
    expect(res.status).toBe(503);
    expect(res.body.errors).toEqual([expect.objectContaining({ code: 'FJC_IDP_UNAVAILABLE' })]);
    expect(res.headers.get('retry-after')).toBe('5');
  });

  it('a command waits, and is accepted once the provider answers again', async () => {
    const commandId = randomUUID();
    const spec = { job_id: 'idp-wait', job_type: 'stream', artifact_path: 'fjc-test-job.jar', entry_class: 'dev.fjc.testjob.TestJob' };
    await producer.send({
      topic: `${s.world.topicPrefix}spec.commands`,
      messages: [{ key: 'idp-wait', value: JSON.stringify({ commandId, type: 'ApplySpec', jobId: 'idp-wait', spec }), headers: { authorization: `Bearer ${await jwt()}` } }],
    });
    // The service has read it and is waiting on the provider: it said so in its log.
    await eventually('the command waiting on the provider', async () => s.service.logs(400), (l) => /FJC_DEPENDENCY_UNAVAILABLE.*identity provider could not be reached/.test(l), {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    expect(results.filter((r) => r.commandId === commandId)).toEqual([]);
    up();
    const answered = await eventually('the result', async () => results.filter((r) => r.commandId === commandId), (r) => r.length > 0, { timeoutMs: 90_000, intervalMs: 250 });
    expect(answered).toEqual([expect.objectContaining({ commandId, status: 'accepted' })]);
    expect(await s.logOf('idp-wait')).toEqual(['SpecUpdated']);
  });
});

describe('the JWKS endpoint answering 4xx', () => {
  it('HTTP: 401 FJC_UNAUTHENTICATED, a refusal', async () => {
    jwks = { status: 404, body: '{}' };
    // A key id the cached set lacks makes the service fetch the set again (its cooldown is 1 s).
    await new Promise((r) => setTimeout(r, 1_100));
    const res = await s.http('/api/v1/jobs', { headers: { authorization: `Bearer ${await jwt('k2')}` } });
    expect(res.status).toBe(401);
    expect(res.body.errors).toEqual([expect.objectContaining({ code: 'FJC_UNAUTHENTICATED' })]);
  });
});
