// HTTP adapter of templates: record a version (PUT, YAML or JSON like a spec), read them, and
// the plan and rollout of moving the jobs that use a template to one of its versions. Thin:
// parse, call one use case, map the result. See docs/templates.md.
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { TemplateNameSchema, TemplateRolloutRequestSchema, type TemplateApplyResponse, type TemplateList, type TemplatePlanResponse, type TemplateRolloutResponse, type TemplateVersionView } from '@fjc/contracts';
import { principalOf } from '../auth/auth-http';
import { Transactions } from '../db/transactions';
import { ID_GENERATOR, type IdGenerator } from '../ids';
import type { CommandError } from '../spec-stream/command-error';
import { ApplyTemplate } from '../use-cases/templates/apply-template';
import { PlanTemplate } from '../use-cases/templates/plan-template';
import { RolloutTemplate } from '../use-cases/templates/rollout-template';
import { TemplateQueries } from '../use-cases/templates/template-queries';
import { refuse, type ErrorBody } from './error-response';
import { commandRequestOf } from './request-context';
import { parseBody } from './request-bodies';
import { specBodyOf } from './spec-body';

@Controller('api/v1/templates')
export class TemplatesController {
  constructor(
    private readonly transactions: Transactions,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly applyTemplate: ApplyTemplate,
    private readonly queries: TemplateQueries,
    private readonly planTemplate: PlanTemplate,
    private readonly rolloutTemplate: RolloutTemplate,
  ) {}

  @Get()
  list(): Promise<TemplateList> {
    return this.queries.list();
  }

  @Put(':name')
  async apply(@Param('name') name: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TemplateApplyResponse | ErrorBody> {
    const request = commandRequestOf(req.headers, principalOf(req), () => this.ids.newId());
    if (request.ok) res.setHeader('X-Correlation-Id', request.correlationId);
    const body = specBodyOf(req);
    if (!request.ok) return refuse(res, request.errors);
    if (!body.ok) return refuse(res, body.errors);
    const bad = nameError(name);
    if (bad) return refuse(res, [bad]);
    const result = await this.transactions.run((tx) => this.applyTemplate.execute(tx, name, body.body, request.context));
    if (!result.ok) return refuse(res, result.errors);
    res.status(result.changed && result.version === 1 ? 201 : 200).setHeader('ETag', `"${result.version}"`);
    return { name: result.name, version: result.version, changed: result.changed };
  }

  @Get(':name')
  get(@Param('name') name: string, @Res({ passthrough: true }) res: Response): Promise<TemplateVersionView | ErrorBody> {
    return this.one(res, name, undefined);
  }

  @Get(':name/versions/:version')
  getVersion(@Param('name') name: string, @Param('version') version: string, @Res({ passthrough: true }) res: Response): Promise<TemplateVersionView | ErrorBody> {
    if (!/^[1-9]\d{0,8}$/.test(version)) return Promise.resolve(refuse(res, [{ code: 'FJC_INVALID_REQUEST', path: 'version', message: `must be a version number (1, 2, ...), got "${version}"` }]));
    return this.one(res, name, Number(version));
  }

  @Post(':name/plan')
  @HttpCode(200)
  async plan(@Param('name') name: string, @Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TemplatePlanResponse | ErrorBody> {
    const request = commandRequestOf(req.headers, principalOf(req), () => this.ids.newId());
    const input = parseBody(TemplateRolloutRequestSchema, body);
    if (!request.ok) return refuse(res, request.errors);
    if (!input.ok) return refuse(res, input.errors);
    const result = await this.transactions.run(async (tx) => {
      await tx.query('set transaction read only');
      return this.planTemplate.execute(tx, name, input.value, request.context);
    });
    return result.ok ? result.plan : refuseTemplate(res, result.errors);
  }

  @Post(':name/rollout')
  @HttpCode(200)
  async rollout(@Param('name') name: string, @Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TemplateRolloutResponse | ErrorBody> {
    const request = commandRequestOf(req.headers, principalOf(req), () => this.ids.newId());
    if (request.ok) res.setHeader('X-Correlation-Id', request.correlationId);
    const input = parseBody(TemplateRolloutRequestSchema, body);
    if (!request.ok) return refuse(res, request.errors);
    if (!input.ok) return refuse(res, input.errors);
    const result = await this.rolloutTemplate.execute(name, input.value, request.context);
    return result.ok ? result.rollout : refuseTemplate(res, result.errors);
  }

  private async one(res: Response, name: string, version: number | undefined): Promise<TemplateVersionView | ErrorBody> {
    const view = await this.queries.get(name, version);
    if (view !== null) return view;
    const errors = [{ code: 'FJC_TEMPLATE_NOT_FOUND' as const, path: '', message: `template ${name}${version ? `@${version}` : ''} is not recorded` }];
    res.status(404);
    return { errors };
  }
}

function nameError(name: string): CommandError | null {
  return TemplateNameSchema.safeParse(name).success ? null : { code: 'FJC_INVALID_REQUEST', path: 'name', message: `must be 1-54 lowercase letters, digits or "-", got "${name}"` };
}

/** A template version that is not recorded is a 404 here, like a job that does not exist (in a job's spec it is a 400). */
function refuseTemplate(res: Response, errors: readonly CommandError[]): ErrorBody {
  const body = refuse(res, errors);
  if (errors[0]?.code === 'FJC_TEMPLATE_NOT_FOUND') res.status(404);
  return body;
}
