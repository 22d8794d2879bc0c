// HTTP adapter of GET /api/v1/jobs/{jobId}/exceptions: the Flink exceptions FJC recorded for a
// job, newest first. 404 with FJC_JOB_NOT_FOUND for a job the caller may not see or the log does not know.
import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { JobExceptionList } from '@fjc/contracts';
import { Caller } from '../auth/auth-http';
import { JobVisibility } from '../auth/job-visibility';
import type { Principal } from '../auth/principal';
import { commandErrors } from '../spec-stream/command-error';
import { ListExceptions } from '../use-cases/list-exceptions/list-exceptions';
import { refuse, type ErrorBody } from './error-response';

@Controller('api/v1/jobs')
export class JobExceptionsController {
  constructor(
    private readonly listExceptions: ListExceptions,
    private readonly visibility: JobVisibility,
  ) {}

  @Get(':jobId/exceptions')
  async exceptions(@Caller() caller: Principal, @Param('jobId') jobId: string, @Res({ passthrough: true }) res: Response): Promise<JobExceptionList | ErrorBody> {
    const exceptions = (await this.visibility.visible(caller, jobId)) ? await this.listExceptions.execute(jobId) : null;
    return exceptions ?? refuse(res, [commandErrors.jobNotFound(jobId)]);
  }
}
