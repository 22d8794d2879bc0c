// The span a unit of work runs in (a consumed message, an action, a decision), and the job and
// correlation id of that work, kept in the same OpenTelemetry context so every log line written
// for it names them (service-runtime's log mixin reads them). One place for both: the consumer
// here and the services' own spans use it alike.
import { context, createContextKey, SpanStatusCode, trace, type Context, type Span, type SpanKind } from '@opentelemetry/api';

export const LOG_FIELDS = createContextKey('fjc.log-fields');
export interface LogFields {
  readonly jobId?: string;
  readonly correlationId?: string;
}

/** The job and correlation id of the work under way in `ctx`. */
export function logFieldsIn(ctx: Context): LogFields {
  return (ctx.getValue(LOG_FIELDS) as LogFields | undefined) ?? {};
}

/** Runs `fn` in a new span (ended when it settles, marked as an error when it throws). */
export async function inSpan<T>(
  name: string,
  options: { parent?: Context; kind?: SpanKind; attributes?: Record<string, string | number | boolean>; logFields?: LogFields },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const base = options.parent ?? context.active();
  const parent = options.logFields ? base.setValue(LOG_FIELDS, { ...logFieldsIn(base), ...options.logFields }) : base;
  const span = trace.getTracer('fjc').startSpan(name, { kind: options.kind, attributes: options.attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    span.recordException(err instanceof Error ? err : new Error(String(err)));
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    span.end();
  }
}
