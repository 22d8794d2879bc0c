import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { LOG_FIELDS } from '@fjc/messaging';
import { traceFields } from './tracing';

describe('traceFields', () => {
  it('has nothing outside a span and without work under way', () => {
    expect(traceFields(ROOT_CONTEXT)).toEqual({});
  });

  it('names the job and correlation of the work under way, and the span it runs in', () => {
    const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 });
    const ctx = trace.setSpan(ROOT_CONTEXT, span).setValue(LOG_FIELDS, { jobId: 'orders', correlationId: 'c-1' });
    expect(traceFields(ctx)).toEqual({ jobId: 'orders', correlationId: 'c-1', trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331' });
  });
});
