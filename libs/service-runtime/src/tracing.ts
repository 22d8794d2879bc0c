// OpenTelemetry tracing for every service (@opentelemetry/sdk-node), configured by the standard
// OTEL_* variables: OTEL_TRACES_EXPORTER=otlp with OTEL_EXPORTER_OTLP_ENDPOINT (and _PROTOCOL)
// exports spans; unset (or none), nothing is exported, but spans still exist, so trace ids link
// log lines and events. OpenTelemetry's own logs and metrics exporters are off unless asked for
// (FJC's metrics are Prometheus, docs/metrics.md). Incoming HTTP (not probes or /metrics) and
// every undici request (the Flink REST calls) are instrumented; the event log and Kafka carry the
// context (W3C traceparent) from service to service.
import { context, trace, type Context, type Span } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace';

let sdk: NodeSDK | null = null;

/** Starts the SDK once per process (first thing a service does); returns how to flush it. */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): { shutdown(): Promise<void> } {
  if (!sdk) {
    env.OTEL_SERVICE_NAME ??= serviceName;
    env.OTEL_LOGS_EXPORTER ??= 'none';
    env.OTEL_METRICS_EXPORTER ??= 'none';
    const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== 'none');
    sdk = new NodeSDK({
      instrumentations: [
        new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(health|metrics)\b/.test(req.url ?? '') }),
        new UndiciInstrumentation(),
      ],
      // No exporter configured: a tracer provider all the same (spans and ids, nothing sent).
      ...(exporters.length === 0 ? { spanProcessors: [new NoopSpanProcessor()] } : {}),
    });
    sdk.start();
  }
  const started = sdk;
  return { shutdown: () => started.shutdown().catch(() => undefined) };
}

/** Exports the spans still buffered (on application shutdown). */
export async function shutdownTracing(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
  sdk = null;
}

/** The trace and span ids of the active span, for log lines. */
export function traceFields(ctx: Context = context.active()): { trace_id?: string; span_id?: string } {
  const span = trace.getSpanContext(ctx);
  return span && trace.isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
}

/** Runs `fn` in a new span (ended when it settles, marked as an error when it throws). */
export async function inSpan<T>(name: string, options: { parent?: Context; attributes?: Record<string, string | number | boolean> }, fn: (span: Span) => Promise<T>): Promise<T> {
  const tracer = trace.getTracer('fjc');
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(name, { attributes: options.attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    span.recordException(err instanceof Error ? err : new Error(String(err)));
    span.setStatus({ code: 2 });
    throw err;
  } finally {
    span.end();
  }
}
