// HTTP adapter of the job queries: list, one job (spec and status), its versions and its audit
// trail. 404 with FJC_JOB_NOT_FOUND for a job the log knows nothing about.
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { commandErrors } from '../spec-stream/command-error';
import type { JobSummary, JobView, LoggedEvent, VersionList } from '../read-model/views';
import { GetJob } from '../use-cases/get-job/get-job';
import { JobEvents } from '../use-cases/job-events/job-events';
import { ListJobs } from '../use-cases/list-jobs/list-jobs';
import { ListVersions } from '../use-cases/list-versions/list-versions';
import { refuse, type ErrorBody } from './error-response';

@Controller('api/v1/jobs')
export class JobQueriesController {
  constructor(
    private readonly getJob: GetJob,
    private readonly listJobs: ListJobs,
    private readonly listVersions: ListVersions,
    private readonly jobEvents: JobEvents,
  ) {}

  @Get()
  async list(@Query('includeDeleted') includeDeleted?: string): Promise<{ jobs: JobSummary[] }> {
    return { jobs: await this.listJobs.execute({ includeDeleted: includeDeleted === 'true' }) };
  }

  @Get(':jobId')
  async get(@Param('jobId') jobId: string, @Res({ passthrough: true }) res: Response): Promise<JobView | ErrorBody> {
    const job = await this.getJob.execute(jobId);
    if (job === null) return refuse(res, [commandErrors.jobNotFound(jobId)]);
    res.setHeader('ETag', `"${job.version}"`);
    return job;
  }

  @Get(':jobId/versions')
  async versions(@Param('jobId') jobId: string, @Res({ passthrough: true }) res: Response): Promise<VersionList | ErrorBody> {
    return (await this.listVersions.execute(jobId)) ?? refuse(res, [commandErrors.jobNotFound(jobId)]);
  }

  @Get(':jobId/events')
  async events(@Param('jobId') jobId: string, @Res({ passthrough: true }) res: Response): Promise<{ jobId: string; events: LoggedEvent[] } | ErrorBody> {
    const events = await this.jobEvents.execute(jobId);
    return events === null ? refuse(res, [commandErrors.jobNotFound(jobId)]) : { jobId, events };
  }
}
