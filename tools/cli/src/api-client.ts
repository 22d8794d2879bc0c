// The spec-service HTTP API as the CLI calls it: base URL from FJC_API_URL (default
// http://127.0.0.1:8080), authenticated with a bearer token: FJC_TOKEN, else the file
// FJC_TOKEN_FILE, else (only for a spec-service on this host) the local admin token that
// `npm start` writes to .stack/admin-token. The audit trail records whoever the token names.
// Every answer is parsed with the response schemas of @fjc/contracts before use; a service that
// cannot be reached is an ApiUnavailableError, not a stack trace.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { z } from 'zod';
import { ErrorBodySchema, type ApiError } from '@fjc/contracts';

export const DEFAULT_API_URL = 'http://127.0.0.1:8080';
const TIMEOUT_MS = 30_000;

export class ApiUnavailableError extends Error {}

export type ApiResult<T> =
  /** body: parsed by the schema (defaults filled in); raw: the JSON as the service sent it, for -o json|yaml. */
  | { readonly ok: true; readonly status: number; readonly body: T; readonly raw: unknown }
  | { readonly ok: false; readonly status: number; readonly errors: readonly ApiError[] };

export interface ApiRequest {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: { readonly contentType: string; readonly text: string };
  readonly ifMatch?: number;
}

export class FjcApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | null,
  ) {}

  /** The token requests carry (streams send it themselves). */
  get bearerToken(): string | null {
    return this.token;
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): FjcApi {
    const baseUrl = (env.FJC_API_URL || DEFAULT_API_URL).replace(/\/+$/, '');
    return new FjcApi(baseUrl, tokenOf(env, baseUrl));
  }

  async call<S extends z.ZodType>(request: ApiRequest, schema: S): Promise<ApiResult<z.output<S>>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token !== null) headers.authorization = `Bearer ${this.token}`;
    if (request.body) headers['content-type'] = request.body.contentType;
    if (request.ifMatch !== undefined) headers['if-match'] = String(request.ifMatch);
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${request.path}`, {
        method: request.method,
        headers,
        body: request.body?.text,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new ApiUnavailableError(`cannot reach the spec-service at ${this.baseUrl} (${reasonOf(err)}); is it running? Set FJC_API_URL to point elsewhere`);
    }
    const text = await res.text();
    const json = parseJson(text);
    if (res.ok) {
      const body = schema.safeParse(json);
      if (body.success) return { ok: true, status: res.status, body: body.data, raw: json };
      return { ok: false, status: res.status, errors: [{ path: '', code: 'FJC_CLI_UNEXPECTED_ANSWER', message: `unexpected answer from the spec-service: ${text.slice(0, 200)}` }] };
    }
    const errors = ErrorBodySchema.safeParse(json);
    const issues = errors.success ? errors.data.errors : [{ path: '', code: 'FJC_CLI_UNEXPECTED_ANSWER', message: `the spec-service answered ${res.status}: ${text.slice(0, 200) || res.statusText}` }];
    // Say where the CLI looks for a token: the usual fix for a 401.
    const hint = this.token === null ? 'no token found' : 'the token was refused';
    return {
      ok: false,
      status: res.status,
      errors: res.status === 401 ? issues.map((i) => ({ ...i, message: `${i.message} (${hint}; set FJC_TOKEN or FJC_TOKEN_FILE, see the README)` })) : issues,
    };
  }
}

/** What one connection to an event stream ended with. */
export type StreamEnd =
  | { readonly kind: 'closed'; readonly retryMs: number | null }
  | { readonly kind: 'refused'; readonly status: number; readonly errors: readonly ApiError[] };

export interface StreamRequest {
  readonly path: string;
  /** Resume after this event id (sent as Last-Event-ID). */
  readonly lastEventId?: string;
  readonly signal: AbortSignal;
  readonly onMessage: (message: EventSourceMessage) => void;
}

/**
 * Reads one connection of a server-sent-events route (GET, bearer token) until the server ends
 * it, the network drops it or `signal` aborts it. Refusals (4xx/5xx before the stream starts)
 * come back with the service's errors; the caller decides whether and when to reconnect.
 */
export async function readEventStream(api: FjcApi, request: StreamRequest): Promise<StreamEnd> {
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  const token = api.bearerToken;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (request.lastEventId !== undefined) headers['last-event-id'] = request.lastEventId;
  let retryMs: number | null = null;
  let res: Response;
  try {
    res = await fetch(`${api.baseUrl}${request.path}`, { headers, signal: request.signal });
  } catch (err) {
    if (request.signal.aborted) return { kind: 'closed', retryMs };
    throw new ApiUnavailableError(`cannot reach the spec-service at ${api.baseUrl} (${reasonOf(err)}); is it running? Set FJC_API_URL to point elsewhere`);
  }
  if (!res.ok || !res.body) {
    const text = await res.text();
    const errors = ErrorBodySchema.safeParse(parseJson(text));
    return { kind: 'refused', status: res.status, errors: errors.success ? errors.data.errors : [{ path: '', code: 'FJC_CLI_UNEXPECTED_ANSWER', message: `the spec-service answered ${res.status}: ${text.slice(0, 200) || res.statusText}` }] };
  }
  const parser = createParser({ onEvent: request.onMessage, onRetry: (ms) => (retryMs = ms) });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
  } catch {
    // A dropped connection or an abort ends this connection like the server closing it.
  }
  return { kind: 'closed', retryMs };
}

export const jobPath = (jobId: string, action = ''): string => `/api/v1/jobs/${encodeURIComponent(jobId)}${action}`;

/** The JSON in `text`, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function reasonOf(err: unknown): string {
  // Duck-typed: fetch's errors may come from another realm (e.g. under jest), failing instanceof.
  const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

/** The local admin token of `npm start`, relative to the stack folder. */
export const LOCAL_TOKEN_FILE = 'admin-token';

/** The caller's token: FJC_TOKEN, FJC_TOKEN_FILE, or (for an API on this host) npm start's local admin token. */
export function tokenOf(env: NodeJS.ProcessEnv, baseUrl: string = env.FJC_API_URL || DEFAULT_API_URL): string | null {
  if (env.FJC_TOKEN?.trim()) return env.FJC_TOKEN.trim();
  if (env.FJC_TOKEN_FILE?.trim()) return readFileSync(env.FJC_TOKEN_FILE.trim(), 'utf8').trim();
  // Never send the local admin token anywhere but to this host.
  const host = hostOf(baseUrl);
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') return null;
  const local = join(env.FJC_STACK_DIR || '.stack', LOCAL_TOKEN_FILE);
  return existsSync(local) ? readFileSync(local, 'utf8').trim() : null;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
