// What an HTTP request says about itself: who asks (the authenticated principal; X-FJC-Actor
// is ignored, a caller cannot name itself), the correlation id (X-Correlation-Id, or a new one),
// the W3C traceparent, and the version the caller expects (If-Match: 3, "3" or W/"3").
import type { IncomingHttpHeaders } from 'node:http';
import { actorOf, type Principal } from '../auth/principal';
import type { CommandError } from '../spec-stream/command-error';
import type { CommandContext } from '../spec-stream/spec-command-runner';

export interface HttpCommandRequest {
  readonly context: CommandContext;
  readonly correlationId: string;
  readonly expectedVersion?: number;
}

export type HttpCommandRequestResult = ({ readonly ok: true } & HttpCommandRequest) | { readonly ok: false; readonly errors: CommandError[] };

const MAX_HEADER_ID = 200;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const IF_MATCH = /^(?:W\/)?"?([0-9]{1,9})"?$/;

export function commandRequestOf(headers: IncomingHttpHeaders, principal: Principal, newId: () => string): HttpCommandRequestResult {
  const errors: CommandError[] = [];
  const correlationId = single(headers['x-correlation-id'])?.trim() || newId();
  if (correlationId.length > MAX_HEADER_ID) errors.push(invalidHeader('X-Correlation-Id', `must be at most ${MAX_HEADER_ID} characters`));
  const ifMatch = single(headers['if-match'])?.trim();
  const version = ifMatch === undefined || ifMatch === '' ? undefined : IF_MATCH.exec(ifMatch)?.[1];
  if (ifMatch && version === undefined) errors.push(invalidHeader('If-Match', `must be a spec version such as 3 or "3", got ${JSON.stringify(ifMatch)}`));
  if (version !== undefined && Number(version) < 1) errors.push(invalidHeader('If-Match', 'must be a spec version of at least 1'));
  if (errors.length > 0) return { ok: false, errors };

  const traceparent = single(headers.traceparent)?.trim().toLowerCase();
  return {
    ok: true,
    correlationId,
    ...(version === undefined ? {} : { expectedVersion: Number(version) }),
    context: {
      source: 'http',
      principal,
      cause: {
        actor: actorOf(principal),
        correlationId,
        // An HTTP request starts a chain: no message caused it.
        causationId: null,
        ...(traceparent && TRACEPARENT.test(traceparent) ? { traceparent } : {}),
      },
    },
  };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function invalidHeader(path: string, message: string): CommandError {
  return { code: 'FJC_INVALID_REQUEST', path, message };
}
