// HTTP adapter of the job queries: a page of the list (filters and cursor: query-params.ts), one
// job (spec and status), its versions, its savepoints and its audit trail. 404 with FJC_JOB_NOT_FOUND for a job the log knows nothing about.
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Caller } from '../auth/auth-http';
import { JobVisibility } from '../auth/job-visibility';
import { mayRead, visibleNamespaces, type Principal } from '../auth/principal';
import { commandErrors } from '../spec-stream/command-error';
import type { JobList, JobView, LoggedEvent, SavepointList, VersionList } from '@fjc/contracts';
import { GetJob } from '../use-cases/get-job/get-job';
import { JobEvents } from '../use-cases/job-events/job-events';
import { ListJobs } from '../use-cases/list-jobs/list-jobs';
import { ListSavepoints } from '../use-cases/list-savepoints/list-savepoints';
import { ListVersions } from '../use-cases/list-versions/list-versions';
import { refuse, type ErrorBody } from './error-response';
import { JobsQuerySchema, parseQuery } from './query-params';

@Controller('api/v1/jobs')
export class JobQueriesController {
  constructor(
    private readonly getJob: GetJob,
    private readonly listJobs: ListJobs,
    private readonly listVersions: ListVersions,
    private readonly jobEvents: JobEvents,
    private readonly listSavepoints: ListSavepoints,
    private readonly visibility: JobVisibility,
  ) {}

  @Get()
  async list(@Caller() caller: Principal, @Query() query: unknown, @Res({ passthrough: true }) res: Response): Promise<JobList | ErrorBody> {
    const parsed = parseQuery(JobsQuerySchema, query);
    if (!parsed.ok) return refuse(res, parsed.errors);
    const q = parsed.value;
    const result = await this.listJobs.execute({
      limit: q.limit,
      cursor: q.cursor ?? null,
      namespaces: q.namespace ?? null,
      states: q.state ?? null,
      selector: q.selector ?? null,
      text: q.q ?? null,
      includeDeleted: q.includeDeleted === 'true',
      visible: visibleNamespaces(caller),
    });
    return result.ok ? result.page : refuse(res, [result.error]);
  }

  @Get(':jobId')
  async get(@Caller() caller: Principal, @Param('jobId') jobId: string, @Res({ passthrough: true }) res: Response): Promise<JobView | ErrorBody> {
    const job = await this.getJob.execute(jobId);
    if (job === null || !mayRead(caller, job.spec.namespace)) return refuse(res, [commandErrors.jobNotFound(jobId)]);
    res.setHeader('ETag', `"${job.version}"`);
    return job;
  }

  @Get(':jobId/versions')
  async versions(@Caller() caller: Principal, @Param('jobId') jobId: string, @Res({ passthrough: true }) res: Response): Promise<VersionList | ErrorBody> {
    const versions = (await this.visibility.visible(caller, jobId)) ? await this.listVersions.execute(jobId) : null;
    return versions ?? refuse(res, [commandErrors.jobNotFound(jobId)]);
  }

  @Get(':jobId/savepoints')
  async savepoints(@Caller() caller: Principal, @Param('jobId') jobId: string, @Res({ passthrough: true }) res: Response): Promise<SavepointList | ErrorBody> {
    const savepoints = (await this.visibility.visible(caller, jobId)) ? await this.listSavepoints.execute(jobId) : null;
    return savepoints ?? refuse(res, [commandErrors.jobNotFound(jobId)]);
  }

  @Get(':jobId/events')
  async events(
    @Caller() caller: Principal,
    @Param('jobId') jobId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ jobId: string; events: LoggedEvent[] } | ErrorBody> {
    const events = (await this.visibility.visible(caller, jobId)) ? await this.jobEvents.execute(jobId) : null;
    return events === null ? refuse(res, [commandErrors.jobNotFound(jobId)]) : { jobId, events };
  }
}
