// W3C trace context of the event log: the traceparent an event is stored with (the span active
// when it was appended) and the context a reader continues from. Only the OpenTelemetry API: with
// no SDK started it is a no-op and events keep what their cause carried.
import { context, propagation, ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';

/** The traceparent of the active span, if there is a valid one. */
export function activeTraceparent(ctx: Context = context.active()): string | undefined {
  const span = trace.getSpanContext(ctx);
  if (!span || !trace.isSpanContextValid(span)) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

/** The context a traceparent (and tracestate) continues; the root context without one. */
export function contextOf(headers: Readonly<Record<string, string | undefined>>): Context {
  return headers.traceparent ? propagation.extract(ROOT_CONTEXT, headers) : ROOT_CONTEXT;
}

/** The trace id of a traceparent ("00-<trace id>-<span id>-<flags>"). */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  const m = traceparent ? /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent) : null;
  return m ? m[1] : undefined;
}
