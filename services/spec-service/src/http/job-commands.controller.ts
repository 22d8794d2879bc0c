// HTTP adapter of the job commands: apply (PUT), suspend, resume, rollback, savepoints, recover (POST)
// and delete. Each handler reads headers and body, runs one use case in a transaction and maps
// its outcome to a status: 201 a new job, 200 a new or unchanged version, 202 accepted for
// later work (delete, savepoint, recover), 400/404/409/415 refusals with {errors}.
import { Body, Controller, Delete, Inject, Param, Post, Put, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Queryable } from '@fjc/event-log';
import { principalOf } from '../auth/auth-http';
import { Transactions } from '../db/transactions';
import { ID_GENERATOR, type IdGenerator } from '../ids';
import type { CommandOutcome } from '../spec-stream/run-spec-command';
import { ApplySpec } from '../use-cases/apply-spec/apply-spec';
import { DeleteJob } from '../use-cases/delete-job/delete-job';
import { RecoverJob } from '../use-cases/recover-job/recover-job';
import { RequestSavepoint } from '../use-cases/request-savepoint/request-savepoint';
import { ResumeJob } from '../use-cases/resume-job/resume-job';
import { RollbackJob } from '../use-cases/rollback-job/rollback-job';
import { RollbackWarnings } from '../use-cases/rollback-job/rollback-warnings-query';
import { SuspendJob } from '../use-cases/suspend-job/suspend-job';
import type { ApplyResponse, ChangeResponse, RecoverResponse, RollbackResponse, SavepointResponse } from '@fjc/contracts';
import { refuse, type ErrorBody } from './error-response';
import { ReasonRequestSchema, RecoverRequestSchema, RollbackRequestSchema, SavepointRequestSchema, parseBody } from './request-bodies';
import { commandRequestOf, type HttpCommandRequest } from './request-context';
import { specBodyOf } from './spec-body';

type Change<T> = (tx: Queryable, body: T, request: HttpCommandRequest) => Promise<CommandOutcome>;

@Controller('api/v1/jobs')
export class JobCommandsController {
  constructor(
    private readonly transactions: Transactions,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly applySpec: ApplySpec,
    private readonly suspendJob: SuspendJob,
    private readonly resumeJob: ResumeJob,
    private readonly rollbackJob: RollbackJob,
    private readonly deleteJob: DeleteJob,
    private readonly requestSavepoint: RequestSavepoint,
    private readonly recoverJob: RecoverJob,
    private readonly rollbackWarnings: RollbackWarnings,
  ) {}

  @Put(':jobId')
  async apply(@Param('jobId') jobId: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ApplyResponse | ErrorBody> {
    const request = this.requestOf(req, res);
    const spec = specBodyOf(req);
    if (!request.ok) return refuse(res, request.errors);
    if (!spec.ok) return refuse(res, spec.errors);
    const { expectedVersion, context } = request;
    const { outcome, warnings } = await this.transactions.run((tx) => this.applySpec.execute(tx, { jobId, body: spec.body, expectedVersion }, context));
    if (outcome.kind === 'rejected') return refuse(res, outcome.errors);
    const created = outcome.kind === 'appended' && outcome.created;
    res.status(created ? 201 : 200).setHeader('ETag', `"${outcome.version}"`);
    if (created) res.setHeader('Location', `/api/v1/jobs/${jobId}`);
    return { jobId, version: outcome.version, changed: outcome.kind === 'appended', warnings: [...warnings] };
  }

  @Post(':jobId/suspend')
  suspend(@Param('jobId') jobId: string, @Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.change(req, res, jobId, ReasonRequestSchema, body, 200, (tx, { reason }, { expectedVersion, context }) =>
      this.suspendJob.execute(tx, jobId, { reason, expectedVersion }, context),
    );
  }

  @Post(':jobId/resume')
  resume(@Param('jobId') jobId: string, @Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.change(req, res, jobId, ReasonRequestSchema, body, 200, (tx, { reason }, { expectedVersion, context }) =>
      this.resumeJob.execute(tx, jobId, { reason, expectedVersion }, context),
    );
  }

  @Post(':jobId/rollback')
  async rollback(@Param('jobId') jobId: string, @Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.withRollbackWarnings(jobId, await this.rollbackChange(jobId, body, req, res));
  }

  private rollbackChange(jobId: string, body: unknown, req: Request, res: Response) {
    return this.change(req, res, jobId, RollbackRequestSchema, body, 200, (tx, { toVersion, savepointPath }, { expectedVersion, context }) =>
      this.rollbackJob.execute(tx, jobId, { toVersion, expectedVersion, ...(savepointPath ? { savepointPath } : {}) }, context),
    );
  }

  /** An accepted rollback says what restoring the older version's state could drop (read after commit). */
  private async withRollbackWarnings(jobId: string, answer: ChangeResponse | ErrorBody): Promise<RollbackResponse | ErrorBody> {
    if ('errors' in answer) return answer;
    return { ...answer, warnings: answer.changed ? await this.rollbackWarnings.afterCommit(jobId, answer.version) : [] };
  }

  @Delete(':jobId')
  remove(@Param('jobId') jobId: string, @Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.change(req, res, jobId, ReasonRequestSchema, body, 202, (tx, { reason }, { expectedVersion, context }) =>
      this.deleteJob.execute(tx, jobId, { reason, expectedVersion }, context),
    );
  }

  @Post(':jobId/savepoints')
  async savepoint(
    @Param('jobId') jobId: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SavepointResponse | ErrorBody> {
    const request = this.requestOf(req, res);
    const input = parseBody(SavepointRequestSchema, body);
    if (!request.ok) return refuse(res, request.errors);
    if (!input.ok) return refuse(res, input.errors);
    const { expectedVersion, context } = request;
    const { outcome, requestId } = await this.transactions.run((tx) => this.requestSavepoint.execute(tx, jobId, { ...input.value, expectedVersion }, context));
    if (outcome.kind === 'rejected') return refuse(res, outcome.errors);
    res.status(202);
    return { jobId, version: outcome.version, requestId };
  }

  /** How a job that lost its state (NEEDS_ATTENTION) starts again: from a savepoint, or empty. */
  @Post(':jobId/recover')
  async recover(
    @Param('jobId') jobId: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RecoverResponse | ErrorBody> {
    const request = this.requestOf(req, res);
    const input = parseBody(RecoverRequestSchema, body);
    if (!request.ok) return refuse(res, request.errors);
    if (!input.ok) return refuse(res, input.errors);
    const { expectedVersion, context } = request;
    const { outcome, requestId } = await this.transactions.run((tx) => this.recoverJob.execute(tx, jobId, { ...input.value, expectedVersion }, context));
    if (outcome.kind === 'rejected') return refuse(res, outcome.errors);
    res.status(202);
    return { jobId, version: outcome.version, requestId };
  }

  /** A change of an existing job: 200 (or `changedStatus`) with the version after it. */
  private async change<S extends z.ZodType>(
    req: Request,
    res: Response,
    jobId: string,
    schema: S,
    body: unknown,
    changedStatus: number,
    run: Change<z.output<S>>,
  ): Promise<ChangeResponse | ErrorBody> {
    const request = this.requestOf(req, res);
    const input = parseBody(schema, body);
    if (!request.ok) return refuse(res, request.errors);
    if (!input.ok) return refuse(res, input.errors);
    const outcome = await this.transactions.run((tx) => run(tx, input.value, request));
    if (outcome.kind === 'rejected') return refuse(res, outcome.errors);
    res.status(outcome.kind === 'appended' ? changedStatus : 200).setHeader('ETag', `"${outcome.version}"`);
    return { jobId, version: outcome.version, changed: outcome.kind === 'appended' };
  }

  /** Reads the request headers, and echoes the correlation id so a caller can find its events. */
  private requestOf(req: Request, res: Response) {
    const request = commandRequestOf(req.headers, principalOf(req), () => this.ids.newId());
    if (request.ok) res.setHeader('X-Correlation-Id', request.correlationId);
    return request;
  }
}
