// Root module of the spec-service: owns the spec streams (spec-<jobId>), the HTTP API, the
// upstream commands of fjc.spec.commands with their results, and the status read model fed by
// fjc.job.lifecycle, and pipelines with their runs (pipeline-<id>, pipeline-run-<run id>).
import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ObservabilityModule, PlatformModule, artifactPolicyFromEnv } from '@fjc/service-runtime';
import { AUTH_PROVIDERS } from './auth/auth.providers';
import { JobVisibility } from './auth/job-visibility';
import { Transactions } from './db/transactions';
import { ApiDocsController } from './http/api-docs.controller';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { CONSOLE_CONFIG, consoleConfigFromEnv } from './http/console-config';
import { ConsoleController } from './http/console.controller';
import { EventsController } from './http/events.controller';
import { JobCommandsController } from './http/job-commands.controller';
import { JobExceptionsController } from './http/job-exceptions.controller';
import { SlaController } from './http/sla.controller';
import { JobPlanController } from './http/job-plan.controller';
import { JobQueriesController } from './http/job-queries.controller';
import { MeController } from './http/me.controller';
import { StreamController } from './http/stream.controller';
import { specLimitsFromEnv } from '@fjc/contracts';
import { browserGuard, browserGuardConfigFromEnv } from './http/browser-guard';
import { bodyParsers } from './http/spec-body';
import { ARTIFACT_POLICY, SPEC_LIMITS } from './http/spec-limits.token';
import { ID_GENERATOR, uuidGenerator } from './ids';
import { JobLifecycleController } from './messaging/job-lifecycle.controller';
import { SpecCommandsController } from './messaging/spec-commands.controller';
import { SPEC_SERVICE_SCHEMA } from './migrations/schema';
import { SpecMetrics } from './observability/spec-metrics';
import { CommandResultPublisher } from './outbox/command-result-publisher';
import { PgSpecStreamStore } from './spec-stream/pg-spec-stream-store';
import { SpecCommandRunner } from './spec-stream/spec-command-runner';
import { SPEC_STREAM_STORE } from './spec-stream/spec-stream-store';
import { ApplySpec } from './use-cases/apply-spec/apply-spec';
import { DeleteJob } from './use-cases/delete-job/delete-job';
import { EventsFeed } from './use-cases/events-feed/events-feed';
import { EventStreamHub } from './use-cases/event-stream/event-stream-hub';
import { STREAM_CONFIG, streamConfigFromEnv } from './use-cases/event-stream/stream-config';
import { GetJob } from './use-cases/get-job/get-job';
import { HandleSpecCommand } from './use-cases/handle-spec-command/handle-spec-command';
import { JobEvents } from './use-cases/job-events/job-events';
import { ListJobs } from './use-cases/list-jobs/list-jobs';
import { ListSavepoints } from './use-cases/list-savepoints/list-savepoints';
import { ListExceptions } from './use-cases/list-exceptions/list-exceptions';
import { SlaReportQueryHandler } from './use-cases/sla-report/sla-report';
import { RollbackWarnings } from './use-cases/rollback-job/rollback-warnings-query';
import { ListVersions } from './use-cases/list-versions/list-versions';
import { PlanSpec } from './use-cases/plan-spec/plan-spec';
import { TemplatesController } from './http/templates.controller';
import { PgTemplateStore } from './template-stream/pg-template-store';
import { JobSpecRenderer } from './template-stream/job-spec-renderer';
import { ApplyTemplate } from './use-cases/templates/apply-template';
import { PlanTemplate } from './use-cases/templates/plan-template';
import { RolloutTemplate } from './use-cases/templates/rollout-template';
import { TemplateQueries } from './use-cases/templates/template-queries';
import { RecordLifecycle } from './use-cases/record-lifecycle/record-lifecycle';
import { RecoverJob } from './use-cases/recover-job/recover-job';
import { RequestSavepoint } from './use-cases/request-savepoint/request-savepoint';
import { ResumeJob } from './use-cases/resume-job/resume-job';
import { RollbackJob } from './use-cases/rollback-job/rollback-job';
import { SuspendJob } from './use-cases/suspend-job/suspend-job';
import { PipelinesController } from './pipelines/http/pipelines.controller';
import { PIPELINE_LOOP_INTERVAL_MS, PipelineLoop, pipelineIntervalFromEnv } from './pipelines/pipeline-loop';
import { PipelineRuns } from './pipelines/pipeline-runs';

export const SERVICE_NAME = 'spec-service';

@Module({
  imports: [ObservabilityModule.forService(SERVICE_NAME), PlatformModule.forService({ serviceName: SERVICE_NAME, migrations: SPEC_SERVICE_SCHEMA.migrations })],
  controllers: [
    JobCommandsController,
    JobPlanController,
    JobQueriesController,
    TemplatesController,
    JobExceptionsController,
    SlaController,
    EventsController,
    StreamController,
    MeController,
    ApiDocsController,
    ConsoleController,
    PipelinesController,
    SpecCommandsController,
    JobLifecycleController,
  ],
  providers: [
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    ...AUTH_PROVIDERS,
    JobVisibility,
    { provide: SPEC_STREAM_STORE, useClass: PgSpecStreamStore },
    { provide: ID_GENERATOR, useValue: uuidGenerator },
    { provide: SPEC_LIMITS, useFactory: () => specLimitsFromEnv(process.env) },
    { provide: CONSOLE_CONFIG, useFactory: () => consoleConfigFromEnv(process.env) },
    { provide: ARTIFACT_POLICY, useFactory: () => artifactPolicyFromEnv(process.env) },
    { provide: STREAM_CONFIG, useFactory: () => streamConfigFromEnv(process.env) },
    Transactions,
    SpecMetrics,
    SpecCommandRunner,
    ApplySpec,
    PlanSpec,
    PgTemplateStore,
    JobSpecRenderer,
    ApplyTemplate,
    TemplateQueries,
    PlanTemplate,
    RolloutTemplate,
    SuspendJob,
    ResumeJob,
    RollbackJob,
    DeleteJob,
    RequestSavepoint,
    RecoverJob,
    HandleSpecCommand,
    RecordLifecycle,
    GetJob,
    ListJobs,
    ListVersions,
    ListSavepoints,
    ListExceptions,
    SlaReportQueryHandler,
    RollbackWarnings,
    JobEvents,
    EventsFeed,
    EventStreamHub,
    CommandResultPublisher,
    PipelineRuns,
    PipelineLoop,
    { provide: PIPELINE_LOOP_INTERVAL_MS, useFactory: () => pipelineIntervalFromEnv(process.env) },
  ],
})
export class SpecServiceModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(browserGuard(browserGuardConfigFromEnv(process.env))).forRoutes('*');
    consumer.apply(...bodyParsers(specLimitsFromEnv(process.env))).forRoutes('*');
  }
}
