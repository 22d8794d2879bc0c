// HTTP probes: /health/started (startup: 503 until the service finished starting, then 200 for
// good), /health/live, /health/ready and /metrics. Thin: no logic beyond mapping.
import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Registry } from 'prom-client';
import { Readiness } from './readiness';
import { METRICS_REGISTRY } from './metrics';
import { SERVICE_IDENTITY, type ServiceIdentity } from './service-identity';

@Controller()
export class ProbesController {
  constructor(
    private readonly readiness: Readiness,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  @Get('health/live')
  @HttpCode(200)
  live(): { status: 'ok'; service: string; instanceId: string } {
    return { status: 'ok', service: this.identity.name, instanceId: this.identity.instanceId };
  }

  @Get('health/started')
  started(@Res() res: Response): void {
    const at = this.readiness.started;
    res.status(at ? 200 : 503).json(at ? { status: 'ok', startedAt: at.toISOString() } : { status: 'starting' });
  }

  @Get('health/ready')
  async ready(@Res() res: Response): Promise<void> {
    const report = await this.readiness.report();
    res.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ok' : 'unavailable', ...report });
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
