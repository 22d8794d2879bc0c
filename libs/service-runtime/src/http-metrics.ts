// HTTP request metrics of every service: requests by method, route and status, and their
// duration. The route is the matched route template (`/api/v1/jobs/:jobId`), never the raw URL,
// so job ids and query strings do not become label values; an unmatched request is `unmatched`.
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';

export function routeOf(req: Pick<Request, 'baseUrl'> & { route?: { path?: unknown } }): string {
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : 'unmatched';
}

export function useHttpMetrics(app: INestApplication, registry: Registry): void {
  const requests = new Counter({ name: 'fjc_http_requests_total', help: 'HTTP requests answered, by method, route template and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const duration = new Histogram({
    name: 'fjc_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method and route template',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      const labels = { method: req.method, route: routeOf(req) };
      end(labels);
      requests.inc({ ...labels, status: String(res.statusCode) });
    });
    next();
  });
}
