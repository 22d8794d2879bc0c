// Errors that escape the handlers over HTTP, in the API's own shape {errors: [{path, message,
// code}]}: a body that is not JSON (400 FJC_INVALID_JSON), Nest's HTTP exceptions (404 for an
// unknown route, 413...), PostgreSQL or Kafka away or overloaded (503 FJC_DEPENDENCY_UNAVAILABLE
// with Retry-After: nothing was accepted, the caller retries), and anything unexpected (500
// FJC_INTERNAL, logged with its stack).
// Handlers return refusals as values; nothing they expect reaches this filter. Other transports
// are left alone: a Kafka handler's error must still reach the transport, which retries it.
import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isDependencyUnavailable } from '@fjc/messaging';
import { Logger } from 'nestjs-pino';
import { throwError, type Observable } from 'rxjs';

const UNAVAILABLE = 'FJC_DEPENDENCY_UNAVAILABLE';
const RETRY_AFTER_S = '2';

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() !== 'http') return throwError(() => exception);
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    if (isDependencyUnavailable(exception)) {
      // An outage or an exhausted connection pool is a wait, not a fault: the request changed
      // nothing (its transaction never committed), so the caller may send it again.
      this.logger.warn({ msg: 'request refused: a dependency is unavailable', code: UNAVAILABLE, err: exception instanceof Error ? exception.message : String(exception) }, 'http');
      if (!res.headersSent) {
        res.setHeader('Retry-After', RETRY_AFTER_S);
        res.status(503).json({ errors: [{ path: '', message: 'PostgreSQL or Kafka is unavailable or busy; nothing was changed, retry later', code: UNAVAILABLE }] });
      }
      return;
    }
    const { status, code, message } = describe(exception, http.getRequest<Request>());
    if (status >= 500) this.logger.error({ msg: 'request failed', code, err: exception instanceof Error ? exception.stack : String(exception) }, 'http');
    if (!res.headersSent) res.status(status).json({ errors: [{ path: '', message, code }] });
  }
}

function describe(exception: unknown, req: Request): { status: number; code: string; message: string } {
  const status = statusOf(exception);
  if (status === null) return { status: 500, code: 'FJC_INTERNAL', message: 'internal error; see the service log' };
  const message = exception instanceof Error ? exception.message : String(exception);
  // Refusals that name their own code (AuthGuard's 401 and 403).
  const own = (exception as { code?: unknown }).code;
  if (typeof own === 'string' && /^FJC_[A-Z0-9_]+$/.test(own)) return { status, code: own, message };
  // Nest turns the JSON body parser's SyntaxError into a plain 400 before any handler runs.
  if (status === 400 && req.is('application/json')) return { status, code: 'FJC_INVALID_JSON', message: `the body is not valid JSON: ${message}` };
  if (status === 413) return { status, code: 'FJC_BODY_TOO_LARGE', message: tooLargeMessage(exception) };
  const code = status === 404 ? 'FJC_NOT_FOUND' : status < 500 ? 'FJC_INVALID_REQUEST' : 'FJC_INTERNAL';
  return { status, code, message };
}

/** The body parser's 413 carries the limit and the announced length. */
function tooLargeMessage(exception: unknown): string {
  const { limit, length } = (typeof exception === 'object' && exception !== null ? exception : {}) as { limit?: unknown; length?: unknown };
  const size = typeof length === 'number' ? `the body is ${length} bytes; ` : 'the body is too large; ';
  return typeof limit === 'number' ? `${size}the limit is ${limit} bytes (FJC_MAX_DOCUMENT_BYTES)` : `${size}see FJC_MAX_DOCUMENT_BYTES`;
}

/** The status of Nest's HTTP exceptions and of the body parsers' errors (413, 415...); null for anything else. */
function statusOf(exception: unknown): number | null {
  if (exception instanceof HttpException) return exception.getStatus();
  const status = typeof exception === 'object' && exception !== null ? (exception as { status?: unknown }).status : undefined;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}
