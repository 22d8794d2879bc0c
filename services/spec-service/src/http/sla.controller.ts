// HTTP adapter of GET /api/v1/sla?from=&to=&namespace=: per job with a service level, the runs
// or windows of the range that met it and the misses recorded; only namespaces the caller may read.
import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { SlaReport } from '@fjc/contracts';
import { Caller } from '../auth/auth-http';
import { visibleNamespaces, type Principal } from '../auth/principal';
import { SlaReportQueryHandler } from '../use-cases/sla-report/sla-report';
import { refuse, type ErrorBody } from './error-response';
import { parseQuery, SlaQuerySchema } from './query-params';

@Controller('api/v1/sla')
export class SlaController {
  constructor(private readonly report: SlaReportQueryHandler) {}

  @Get()
  async get(@Caller() caller: Principal, @Query() query: unknown, @Res({ passthrough: true }) res: Response): Promise<SlaReport | ErrorBody> {
    const parsed = parseQuery(SlaQuerySchema, query);
    if (!parsed.ok) return refuse(res, parsed.errors);
    const q = parsed.value;
    return this.report.execute({ from: new Date(q.from), to: new Date(q.to), namespaces: q.namespace ?? null, visible: visibleNamespaces(caller) });
  }
}
