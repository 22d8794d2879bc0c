// HTTP adapter of pipelines: apply (PUT), read, start a run, list a pipeline's runs, show a run,
// retry a run from a stage. Every route passes the global auth guard; apply, start and retry need
// the operator role in the pipeline's namespace, reads need to see it. Each handler parses, runs
// one use case in a transaction and maps its outcome.
import { Body, Controller, Get, Inject, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RetryRunRequestSchema, type PipelineApplyResponse, type PipelineRunList, type PipelineRunView, type PipelineView } from '@fjc/contracts';
import { Caller, principalOf } from '../../auth/auth-http';
import { hasRole, mayRead, type Principal } from '../../auth/principal';
import { Transactions } from '../../db/transactions';
import { refuse, type ErrorBody } from '../../http/error-response';
import { parseBody } from '../../http/request-bodies';
import { commandRequestOf } from '../../http/request-context';
import { specBodyOf } from '../../http/spec-body';
import { ID_GENERATOR, type IdGenerator } from '../../ids';
import type { CommandError } from '../../spec-stream/command-error';
import * as store from '../persistence/pipeline-store';
import { PipelineRuns } from '../pipeline-runs';
import { runView } from './run-view';

const notFound = (pipelineId: string): CommandError[] => [{ code: 'FJC_PIPELINE_NOT_FOUND', path: '', message: `pipeline ${pipelineId} does not exist` }];
const runNotFound = (runId: string): CommandError[] => [{ code: 'FJC_PIPELINE_RUN_NOT_FOUND', path: '', message: `run ${runId} does not exist` }];
const MAX_RUNS_LISTED = 100;

@Controller('api/v1')
export class PipelinesController {
  constructor(
    private readonly transactions: Transactions,
    private readonly runs: PipelineRuns,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  @Put('pipelines/:pipelineId')
  async apply(@Param('pipelineId') pipelineId: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<PipelineApplyResponse | ErrorBody> {
    const principal = principalOf(req);
    const request = commandRequestOf(req.headers, principal, () => this.ids.newId());
    const body = specBodyOf(req);
    if (!request.ok) return refuse(res, request.errors);
    if (!body.ok) return refuse(res, body.errors);
    const result = await this.transactions.run((tx) => this.runs.apply(tx, pipelineId, body.body, principal, request.context.cause));
    if (!result.ok) return refuse(res, result.errors);
    res.status(result.created ? 201 : 200).setHeader('ETag', `"${result.version}"`);
    return { pipelineId, version: result.version, changed: result.changed };
  }

  @Get('pipelines/:pipelineId')
  async get(@Param('pipelineId') pipelineId: string, @Caller() caller: Principal, @Res({ passthrough: true }) res: Response): Promise<PipelineView | ErrorBody> {
    const row = await this.transactions.run((tx) => store.loadPipeline(tx, pipelineId));
    if (!row || !mayRead(caller, row.namespace)) return refuse(res, notFound(pipelineId));
    return { pipelineId, version: row.version, spec: row.spec, nextRunAt: row.nextFireAt?.toISOString() ?? null };
  }

  @Post('pipelines/:pipelineId/runs')
  async start(@Param('pipelineId') pipelineId: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<PipelineRunView | ErrorBody> {
    const principal = principalOf(req);
    const request = commandRequestOf(req.headers, principal, () => this.ids.newId());
    if (!request.ok) return refuse(res, request.errors);
    const outcome = await this.transactions.run(async (tx) => {
      const pipeline = await store.loadPipeline(tx, pipelineId);
      if (!pipeline || !mayRead(principal, pipeline.namespace)) return { ok: false as const, errors: notFound(pipelineId) };
      if (!hasRole(principal, 'operator', pipeline.namespace)) {
        return { ok: false as const, errors: [{ code: 'FJC_FORBIDDEN' as const, path: '', message: `a run of pipeline ${pipelineId} needs the operator role in namespace ${pipeline.namespace}` }] };
      }
      const runId = `${pipelineId}-m${this.ids.newId().replace(/-/g, '').slice(0, 12)}`;
      await this.runs.start(tx, pipeline, 'manual', new Date(), runId, request.context.cause);
      const run = await store.loadRun(tx, runId);
      if (!run) throw new Error(`run ${runId} was started but is not in pipeline_runs`);
      return { ok: true as const, run };
    });
    if (!outcome.ok) return refuse(res, outcome.errors);
    res.status(201).setHeader('Location', `/api/v1/pipeline-runs/${outcome.run.runId}`);
    return runView(outcome.run);
  }

  @Get('pipelines/:pipelineId/runs')
  async list(@Param('pipelineId') pipelineId: string, @Caller() caller: Principal, @Query('limit') limit: string | undefined, @Res({ passthrough: true }) res: Response): Promise<PipelineRunList | ErrorBody> {
    const n = limit === undefined ? 20 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > MAX_RUNS_LISTED) return refuse(res, [{ code: 'FJC_INVALID_REQUEST', path: 'limit', message: `must be a whole number from 1 to ${MAX_RUNS_LISTED}` }]);
    const found = await this.transactions.run(async (tx) => {
      const pipeline = await store.loadPipeline(tx, pipelineId);
      if (!pipeline || !mayRead(caller, pipeline.namespace)) return null;
      return store.listRuns(tx, pipelineId, n);
    });
    if (!found) return refuse(res, notFound(pipelineId));
    return { runs: found.map(runView) };
  }

  @Get('pipeline-runs/:runId')
  async show(@Param('runId') runId: string, @Caller() caller: Principal, @Res({ passthrough: true }) res: Response): Promise<PipelineRunView | ErrorBody> {
    const run = await this.transactions.run(async (tx) => {
      const row = await store.loadRun(tx, runId);
      const pipeline = row ? await store.loadPipeline(tx, row.pipelineId) : null;
      return row && pipeline && mayRead(caller, pipeline.namespace) ? row : null;
    });
    if (!run) return refuse(res, runNotFound(runId));
    return runView(run);
  }

  @Post('pipeline-runs/:runId/retry')
  async retry(@Param('runId') runId: string, @Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<PipelineRunView | ErrorBody> {
    const principal = principalOf(req);
    const request = commandRequestOf(req.headers, principal, () => this.ids.newId());
    const parsed = parseBody(RetryRunRequestSchema, body);
    if (!request.ok) return refuse(res, request.errors);
    if (!parsed.ok) return refuse(res, parsed.errors);
    const result = await this.transactions.run((tx) => this.runs.retry(tx, runId, parsed.value.from_stage, principal, request.context.cause));
    if (!result.ok) return refuse(res, result.errors);
    return runView(result.run);
  }
}
