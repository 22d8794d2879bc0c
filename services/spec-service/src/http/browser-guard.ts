// What a browser page must not be able to do to an operator's FJC: change anything with a form
// or a simple cross-site request, or read the API through a rebound DNS name.
// - A state-changing request (POST, PUT, PATCH, DELETE) with a body or a Content-Type must send
//   JSON (or YAML to PUT /jobs/{id} and POST /jobs/{id}/plan, which take a spec): HTML forms
//   cannot, so 415 FJC_UNSUPPORTED_MEDIA_TYPE.
// - Host: on the local default (bound to loopback) only localhost, 127.0.0.1 and [::1] are
//   answered (DNS rebinding); FJC_ALLOWED_HOSTS lists others (host or host:port).
// - Origin, when a browser sends one, must be the API's own origin or listed in
//   FJC_ALLOWED_ORIGINS; a cross-site state change (Sec-Fetch-Site) is refused too.
// Probes (/health/*) are left alone: orchestrators call them by pod address.
import type { NextFunction, Request, Response } from 'express';
import { YAML_MEDIA_TYPES } from './spec-body';

export interface BrowserGuardConfig {
  /** Lower-case host names (and host:port) answered; null answers any. */
  readonly allowedHosts: ReadonlySet<string> | null;
  /** Origins (scheme://host[:port]) allowed besides the API's own. */
  readonly allowedOrigins: ReadonlySet<string>;
}

const LOOPBACK_BINDS = new Set(['127.0.0.1', '::1', 'localhost']);
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const list = (raw: string | undefined): string[] =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

export function browserGuardConfigFromEnv(env: NodeJS.ProcessEnv): BrowserGuardConfig {
  const hosts = list(env.FJC_ALLOWED_HOSTS);
  const bind = env.FJC_BIND_HOST ?? '127.0.0.1';
  const allowedHosts = hosts.length > 0 ? new Set(hosts) : LOOPBACK_BINDS.has(bind) ? new Set(LOOPBACK_HOSTS) : null;
  return { allowedHosts, allowedOrigins: new Set(list(env.FJC_ALLOWED_ORIGINS).map((o) => o.replace(/\/+$/, ''))) };
}

interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly path: string;
  readonly message: string;
}

export function checkRequest(config: BrowserGuardConfig, req: Pick<Request, 'method' | 'originalUrl' | 'headers'>): Refusal | null {
  // originalUrl: a middleware mounted by Nest sees a path relative to its mount point.
  if (req.originalUrl.startsWith('/health/')) return null;
  const host = (req.headers.host ?? '').toLowerCase();
  if (config.allowedHosts && !hostAllowed(config.allowedHosts, host)) {
    return { status: 421, code: 'FJC_HOST_NOT_ALLOWED', path: 'Host', message: `${JSON.stringify(host)} is not a host this API answers to; set FJC_ALLOWED_HOSTS to add it` };
  }
  const origin = headerOf(req, 'origin')?.toLowerCase();
  if (origin !== undefined && !originAllowed(config, origin, host)) {
    return { status: 403, code: 'FJC_ORIGIN_NOT_ALLOWED', path: 'Origin', message: `requests from ${JSON.stringify(origin)} are not allowed; set FJC_ALLOWED_ORIGINS to add it` };
  }
  if (!STATE_CHANGING.has(req.method)) return null;
  if (headerOf(req, 'sec-fetch-site') === 'cross-site' && origin === undefined) {
    return { status: 403, code: 'FJC_ORIGIN_NOT_ALLOWED', path: 'Sec-Fetch-Site', message: 'cross-site requests may not change anything' };
  }
  const contentType = headerOf(req, 'content-type');
  const hasBody = Number(headerOf(req, 'content-length') ?? 0) > 0 || headerOf(req, 'transfer-encoding') !== undefined;
  if (contentType === undefined && !hasBody) return null;
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const yamlAllowed = req.method === 'PUT' || (req.method === 'POST' && /^\/api\/v1\/jobs\/[^/]+\/plan(?:\?|$)/.test(req.originalUrl));
  if (mediaType === 'application/json' || (yamlAllowed && YAML_MEDIA_TYPES.includes(mediaType))) return null;
  return {
    status: 415,
    code: 'FJC_UNSUPPORTED_MEDIA_TYPE',
    path: 'Content-Type',
    message: `must be application/json${yamlAllowed ? ' or application/yaml' : ''}, got ${mediaType === '' ? 'none' : JSON.stringify(mediaType)}`,
  };
}

export function browserGuard(config: BrowserGuardConfig) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const refusal = checkRequest(config, req);
    if (!refusal) return next();
    res.status(refusal.status).json({ errors: [{ path: refusal.path, message: refusal.message, code: refusal.code }] });
  };
}

function headerOf(req: Pick<Request, 'headers'>, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function hostAllowed(allowed: ReadonlySet<string>, host: string): boolean {
  if (allowed.has(host)) return true;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return allowed.has(name);
}

function originAllowed(config: BrowserGuardConfig, origin: string, host: string): boolean {
  if (config.allowedOrigins.has(origin)) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host;
  } catch {
    return false; // "null" (sandboxed frames, files) and anything unparsable
  }
}
