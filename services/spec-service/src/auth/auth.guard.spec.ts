// Which routes the guard leaves open and what it answers otherwise; the Authenticator is a stub
// (its real behaviour is in auth.int.spec.ts).
import { Reflector } from '@nestjs/core';
import type { ExecutionContext } from '@nestjs/common';
import { authConfigFromEnv } from './auth-config';
import { AuthRefusal } from './auth-http';
import { AuthGuard } from './auth.guard';
import type { Authentication, Authenticator } from './authenticator';
import type { Principal } from './principal';

const noGrants: Principal = { kind: 'service', issuer: 'fjc:api-token', subject: 'token:x', groups: [], grants: [], mayImpersonate: false };

function run(path: string, options: { protectMetrics?: boolean; answer?: Authentication; type?: string; authorization?: string }) {
  const headers: Record<string, string> = options.authorization ? { authorization: options.authorization } : {};
  const req: Record<string, unknown> = { path, headers };
  const set: Record<string, string> = {};
  const res = { setHeader: (k: string, v: string) => (set[k] = v) };
  const authenticator = { authenticate: async () => options.answer ?? { ok: false, status: 401, reason: 'this request needs an Authorization: Bearer header' } } as unknown as Authenticator;
  const config = authConfigFromEnv(options.protectMetrics ? { FJC_AUTH_PROTECT_METRICS: 'true' } : {});
  const guard = new AuthGuard(authenticator, config, new Reflector());
  const context = {
    getType: () => options.type ?? 'http',
    getHandler: () => () => undefined,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ExecutionContext;
  return { outcome: guard.canActivate(context), set, req };
}

describe('AuthGuard', () => {
  it.each(['/health/live', '/health/ready', '/metrics'])('leaves %s open', async (path) => {
    await expect(run(path, {}).outcome).resolves.toBe(true);
  });

  it('lets Kafka handlers through: they are not HTTP', async () => {
    await expect(run('', { type: 'rpc' }).outcome).resolves.toBe(true);
  });

  it('answers 401 FJC_UNAUTHENTICATED with a Bearer challenge for an API route without a token', async () => {
    const { outcome, set } = run('/api/v1/jobs', {});
    await expect(outcome).rejects.toMatchObject({ code: 'FJC_UNAUTHENTICATED', status: 401 });
    expect(set['WWW-Authenticate']).toBe('Bearer realm="fjc"');
  });

  it('names the error in the challenge when a token was refused', async () => {
    const { outcome, set } = run('/api/v1/jobs', { authorization: 'Bearer x', answer: { ok: false, status: 401, reason: 'the token has expired' } });
    await expect(outcome).rejects.toBeInstanceOf(AuthRefusal);
    expect(set['WWW-Authenticate']).toBe('Bearer realm="fjc", error="invalid_token", error_description="the token has expired"');
  });

  it('answers 503 FJC_IDP_UNAVAILABLE, not 401, while the identity provider cannot be reached', async () => {
    const answer: Authentication = { ok: false, status: 401, reason: 'the token could not be verified (the identity provider could not be reached)', providerUnreachable: true };
    const { outcome, set } = run('/api/v1/jobs', { authorization: 'Bearer x', answer });
    await expect(outcome).rejects.toMatchObject({ code: 'FJC_IDP_UNAVAILABLE', status: 503 });
    expect(set['Retry-After']).toBe('5');
    expect(set['WWW-Authenticate']).toBeUndefined();
  });

  it('protects /metrics when FJC_AUTH_PROTECT_METRICS=true: 401 without a token, 403 without any grant, open with one', async () => {
    await expect(run('/metrics', { protectMetrics: true }).outcome).rejects.toMatchObject({ status: 401 });
    await expect(run('/metrics', { protectMetrics: true, answer: { ok: true, principal: noGrants } }).outcome).rejects.toMatchObject({ status: 403, code: 'FJC_FORBIDDEN' });
    const viewer = { ...noGrants, grants: [{ role: 'viewer' as const, namespace: 'a' }] };
    await expect(run('/metrics', { protectMetrics: true, answer: { ok: true, principal: viewer } }).outcome).resolves.toBe(true);
  });

  it('leaves the authenticated caller on the request', async () => {
    const { outcome, req } = run('/api/v1/jobs', { answer: { ok: true, principal: noGrants } });
    await expect(outcome).resolves.toBe(true);
    expect(req.principal).toBe(noGrants);
  });
});
