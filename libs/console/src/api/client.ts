// The console's one door to the HTTP API (/api/v1, same origin): the bearer token on every call,
// answers parsed with the contracts' schemas (the same ones the spec-service answers with), and
// refusals turned into ApiError with the API's own {path, message, code} entries.
import { z } from 'zod';

export interface ApiErrorEntry {
  readonly path: string;
  readonly message: string;
  readonly code: string;
  readonly line?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly ApiErrorEntry[],
  ) {
    super(errors.map((e) => `${e.code}: ${e.path ? `${e.path}: ` : ''}${e.message}`).join('; ') || `HTTP ${status}`);
  }

  get code(): string {
    return this.errors[0]?.code ?? `HTTP_${this.status}`;
  }
}

const ErrorBodySchema = z.object({ errors: z.array(z.object({ path: z.string(), message: z.string(), code: z.string(), line: z.int().optional() })) });

export interface SendOptions {
  readonly body?: unknown;
  readonly ifMatch?: number;
}

export class ApiClient {
  /** `onUnauthenticated`: a 401 after sign-in (token revoked or expired) ends the session. */
  constructor(
    private readonly token: string,
    private readonly onUnauthenticated: () => void = () => undefined,
  ) {}

  async get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
    return this.parse(await this.call('GET', path, {}), schema);
  }

  async send<S extends z.ZodType>(method: 'PUT' | 'POST' | 'DELETE', path: string, schema: S, options: SendOptions = {}): Promise<z.output<S>> {
    return this.parse(await this.call(method, path, options), schema);
  }

  /** An open server-sent event stream (GET), resumed after `lastEventId`; a refusal throws before any event. */
  async stream(path: string, lastEventId: string | undefined, signal: AbortSignal): Promise<ReadableStream<BufferSource>> {
    const res = await fetch(`/api/v1${path}`, {
      headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream', ...(lastEventId !== undefined ? { 'last-event-id': lastEventId } : {}) },
      cache: 'no-store',
      credentials: 'omit',
      signal,
    });
    if (!res.ok || res.body === null) {
      if (res.status === 401) this.onUnauthenticated();
      const refusal = ErrorBodySchema.safeParse(await res.json().catch(() => null));
      throw new ApiError(res.status, refusal.success ? refusal.data.errors : []);
    }
    // Bytes, typed as what TextDecoderStream takes.
    return res.body as ReadableStream<BufferSource>;
  }

  private async call(method: string, path: string, options: SendOptions): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
    const res = await fetch(`/api/v1${path}`, { method, headers, body, cache: 'no-store', credentials: 'omit' });
    if (!res.ok) {
      if (res.status === 401) this.onUnauthenticated();
      const refusal = ErrorBodySchema.safeParse(await res.json().catch(() => null));
      throw new ApiError(res.status, refusal.success ? refusal.data.errors : []);
    }
    return res;
  }

  private async parse<S extends z.ZodType>(res: Response, schema: S): Promise<z.output<S>> {
    const parsed = schema.safeParse(await res.json());
    if (!parsed.success) {
      throw new ApiError(res.status, parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: 'FJC_CONSOLE_UNEXPECTED_ANSWER' })));
    }
    return parsed.data;
  }
}

/** What a refused sign-in says: the API's reason, in words a person acts on. */
export function signInMessage(err: unknown): string {
  if (err instanceof ApiError && err.status === 401) return 'This token was not accepted: it is unknown, revoked or mistyped. Create one with `fjc token create`.';
  if (err instanceof ApiError) return `The API refused: ${err.message}`;
  return `The API did not answer (${String(err)}).`;
}
