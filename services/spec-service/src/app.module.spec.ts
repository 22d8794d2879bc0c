import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { SpecServiceModule } from './app.module';

describe('spec-service shell', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    app = await NestFactory.create(SpecServiceModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  });
  afterAll(() => app.close());

  it('answers liveness with its own name', async () => {
    const res = await fetch(`${base}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', service: 'spec-service' });
  });

  it('answers readiness', async () => {
    const res = await fetch(`${base}/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ready: true });
  });

  it('serves Prometheus metrics labelled with the service', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toMatch(/fjc_process_cpu_user_seconds_total\{service="spec-service"\}/);
  });
});
