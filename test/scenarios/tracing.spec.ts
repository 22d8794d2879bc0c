// One PUT, one trace: the four services export their spans with the standard OTLP exporter
// (OTEL_TRACES_EXPORTER=otlp, http/json) to a receiver in this test, and the trace the request
// started (its own traceparent) holds the HTTP span, the relay's publish spans, every service's
// Kafka process spans, the reconciler's decision, the deployer's action, its Flink REST call and
// the observation that confirms the job runs.
// The trace id is in the job's events (what `fjc events` shows) and on the services' log lines.
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { eventually, uniqueSuffix } from '@fjc/testing';
import { exampleSpec, FjcSystem } from '../support/system';

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

/** What the OTLP/HTTP JSON exporter posts (ExportTraceServiceRequest), flattened to spans. */
function spansOf(body: unknown): ReceivedSpan[] {
  const value = (v: Record<string, unknown>) => v.stringValue ?? v.intValue ?? v.boolValue ?? v.doubleValue;
  const attrs = (list: Array<{ key: string; value: Record<string, unknown> }> = []) => Object.fromEntries(list.map((a) => [a.key, value(a.value)]));
  const out: ReceivedSpan[] = [];
  for (const rs of (body as { resourceSpans?: Array<{ resource?: { attributes?: Array<{ key: string; value: Record<string, unknown> }> }; scopeSpans?: Array<{ spans?: Array<Record<string, unknown>> }> }> }).resourceSpans ?? []) {
    const service = String(attrs(rs.resource?.attributes)['service.name']);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          service,
          traceId: String(s.traceId),
          spanId: String(s.spanId),
          ...(s.parentSpanId ? { parentSpanId: String(s.parentSpanId) } : {}),
          name: String(s.name),
          kind: Number(s.kind),
          attributes: attrs(s.attributes as Array<{ key: string; value: Record<string, unknown> }>),
        });
      }
    }
  }
  return out;
}

/** Spans whose parent is not among them (the HTTP span's parent is the caller's, outside). */
function orphans(trace: ReceivedSpan[]): ReceivedSpan[] {
  const ids = new Set(trace.map((s) => s.spanId));
  return trace.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId) && !(s.service === 'spec-service' && s.name.startsWith('PUT')));
}

describe('tracing across the four services', () => {
  let fjc: FjcSystem;
  let receiver: Server;
  const spans: ReceivedSpan[] = [];
  const jobId = `traced-${uniqueSuffix()}`;
  const traceId = randomBytes(16).toString('hex');

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        if (req.url === '/v1/traces') spans.push(...spansOf(JSON.parse(text)));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    fjc = await FjcSystem.start({
      env: {
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
    });
  });
  afterAll(async () => {
    await fjc?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('one PUT yields one trace over the spec-service, relay, reconciler, scheduler, deployer and the Flink call', async () => {
    const put = await fjc.request('PUT', `/jobs/${jobId}`, exampleSpec('stream-stateless.yaml', jobId), { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` });
    expect(put.status).toBe(201);
    await fjc.waitForState(jobId, (j) => j.state === 'RUNNING' && j.flinkJobId !== null, 'RUNNING', 90_000);
    const flinkHost = new URL(process.env.FLINK_REST_URL ?? '').host;
    const mine = await eventually(
      'the whole trace exported',
      async () => spans.filter((s) => s.traceId === traceId),
      (t) =>
        ['spec-service', 'reconciler', 'scheduler', 'deployer'].every((svc) => t.some((s) => s.service === svc)) &&
        t.some((s) => /\/jars\/[^/]+\/run$/.test(String(s.attributes['url.full'] ?? ''))) &&
        t.some((s) => s.name === 'observe RUNNING') &&
        // Spans are exported when they end, each service on its own schedule: wait for whole trees.
        orphans(t).length === 0,
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const names = mine.map((s) => `${s.service}: ${s.name}`);
    // The HTTP request, its events published, consumed by each service, decided, acted on.
    expect(names).toEqual(expect.arrayContaining([
      expect.stringMatching(/^spec-service: PUT/),
      // The relay of one instance (whichever holds its lock) publishes everyone's events.
      expect.stringMatching(/^[a-z-]+: publish .*spec\.events$/),
      expect.stringMatching(/^reconciler: process .*spec\.events$/),
      expect.stringMatching(/^scheduler: process .*spec\.events$/),
      'reconciler: reconcile SpecUpdated',
      expect.stringMatching(/^[a-z-]+: publish .*deploy\.actions$/),
      expect.stringMatching(/^deployer: process .*deploy\.actions$/),
      'deployer: action Deploy',
      // The observation that confirms the action's result: the job RUNNING in Flink.
      'deployer: observe RUNNING',
    ]));
    const consume = mine.find((s) => s.service === 'reconciler' && s.name.startsWith('process'));
    expect(consume?.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.operation.type': 'process', 'messaging.kafka.message.key': jobId });
    const flinkRun = mine.find((s) => /\/jars\/[^/]+\/run$/.test(String(s.attributes['url.full'] ?? '')));
    expect(flinkRun).toMatchObject({ service: 'deployer', attributes: { 'http.request.method': 'POST' } });
    expect(String(flinkRun?.attributes['url.full'])).toContain(flinkHost);
    // Every span's parent is in the trace too (one tree, from the caller's traceparent down).
    expect(orphans(mine)).toEqual([]);
  });

  it('the job\'s events carry the trace id, and the services\' log lines too', async () => {
    const events = await fjc.events(jobId);
    const traced = (type: string) => events.filter((e) => e.type === type).map((e) => (e as unknown as { traceId?: string }).traceId);
    expect(traced('SpecUpdated')).toEqual([traceId]);
    expect(traced('ActionRequested')[0]).toBe(traceId);
    expect(traced('ActionSucceeded')[0]).toBe(traceId);
    for (const svc of ['spec-service', 'reconciler', 'deployer'] as const) {
      expect([svc, fjc.service(svc).logs(500).includes(`"trace_id":"${traceId}"`)]).toEqual([svc, true]);
    }
    // A line that names neither itself still carries the job and correlation id of its work.
    const requested = fjc.service('reconciler').logs(500).split('\n').find((l) => l.includes('"event":"action.requested"') && l.includes(jobId));
    const correlationId = events.find((e) => e.type === 'SpecUpdated')?.correlationId;
    expect(JSON.parse(requested ?? '{}')).toMatchObject({ jobId, correlationId, trace_id: traceId });
  });
});
