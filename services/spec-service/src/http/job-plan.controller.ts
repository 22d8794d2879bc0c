// HTTP adapter of the plan: POST /api/v1/jobs/{jobId}/plan takes the body and headers of
// PUT /api/v1/jobs/{jobId} and answers 200 with what applying it would do, or the refusal apply
// would give (400/403/404/409/415), with the same errors. It runs in a READ ONLY transaction:
// PostgreSQL itself refuses any write a plan might attempt.
import { Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { PlanResponse } from '@fjc/contracts';
import { principalOf } from '../auth/auth-http';
import { Transactions } from '../db/transactions';
import { ID_GENERATOR, type IdGenerator } from '../ids';
import { PlanSpec } from '../use-cases/plan-spec/plan-spec';
import { refuse, type ErrorBody } from './error-response';
import { commandRequestOf } from './request-context';
import { specBodyOf } from './spec-body';

@Controller('api/v1/jobs')
export class JobPlanController {
  constructor(
    private readonly transactions: Transactions,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly planSpec: PlanSpec,
  ) {}

  @Post(':jobId/plan')
  @HttpCode(200)
  async plan(@Param('jobId') jobId: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<PlanResponse | ErrorBody> {
    const request = commandRequestOf(req.headers, principalOf(req), () => this.ids.newId());
    if (request.ok) res.setHeader('X-Correlation-Id', request.correlationId);
    const spec = specBodyOf(req);
    if (!request.ok) return refuse(res, request.errors);
    if (!spec.ok) return refuse(res, spec.errors);
    const { expectedVersion, context } = request;
    const result = await this.transactions.run(async (tx) => {
      await tx.query('set transaction read only');
      return this.planSpec.execute(tx, { jobId, body: spec.body, expectedVersion }, context);
    });
    return result.ok ? result.plan : refuse(res, result.errors);
  }
}
