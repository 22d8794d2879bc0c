// OpenTelemetry tracing for every service (@opentelemetry/sdk-node), configured by the standard
// OTEL_* variables: OTEL_TRACES_EXPORTER=otlp with OTEL_EXPORTER_OTLP_ENDPOINT (and _PROTOCOL)
// exports spans; unset (or none), nothing is exported, but spans still exist, so trace ids link
// log lines and events. OpenTelemetry's own logs and metrics exporters are off unless asked for
// (FJC's metrics are Prometheus, docs/metrics.md). Incoming HTTP (not probes or /metrics) and
// every undici request (the Flink REST calls) are instrumented; the event log and Kafka carry the
// context (W3C traceparent) from service to service.
import { context, trace, type Context } from '@opentelemetry/api';
import { logFieldsIn } from '@fjc/messaging';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace';

let sdk: NodeSDK | null = null;

/** Starts the SDK once per process (first thing a service does); shutdownTracing flushes it. */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): void {
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
}

/** Exports the spans still buffered (on application shutdown). */
export async function shutdownTracing(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
  sdk = null;
}

/** The fields every log line gets: trace and span ids of the active span, job and correlation id. */
export function traceFields(ctx: Context = context.active()): { trace_id?: string; span_id?: string; jobId?: string; correlationId?: string } {
  const span = trace.getSpanContext(ctx);
  return { ...logFieldsIn(ctx), ...(span && trace.isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {}) };
}
