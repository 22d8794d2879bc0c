// The spec-service's part of the database: its migrations, and what its role may do (applied by
// the migration step, `node services/spec-service/dist/migrate-main.js` or `fjc db migrate`).
import type { FjcEventType } from '@fjc/contracts';
import type { ServiceSchema } from '@fjc/event-log';
import { SPEC_SERVICE_MIGRATIONS } from './index';

/** Pipelines and their runs (issue 16) are the spec-service's streams too. */
const PIPELINE_EVENT_TYPES: readonly FjcEventType[] = ['PipelineApplied', 'PipelineRunStarted', 'StageRunRequested', 'StageRunFinished', 'StageRunFailed', 'StageSkipped', 'PipelineRunEnded', 'PipelineRunRetryRequested'];

const APPENDS: readonly FjcEventType[] = ['SpecUpdated', 'JobSuspendRequested', 'JobResumeRequested', 'JobRolledBack', 'JobDeleteRequested', 'SavepointRequested', 'JobRecoveryRequested', 'TemplateVersionRecorded', ...PIPELINE_EVENT_TYPES];

export const SPEC_SERVICE_SCHEMA: ServiceSchema = {
  service: 'spec-service',
  migrations: SPEC_SERVICE_MIGRATIONS,
  eventTypes: APPENDS,
  tables: {
    job_specs: ['select', 'insert', 'update'],
    job_status: ['select', 'insert', 'update'],
    command_results: ['select', 'insert', 'update'],
    api_tokens: ['select', 'insert'],
    // Template versions are immutable; rebuild-projections clears the table as the owner does job_specs.
    job_templates: ['select', 'insert', 'delete'],
    // The deployer's latest overview of each cluster, for the plan's slot check.
    cluster_overview: ['select'],
    pipelines: ['select', 'insert', 'update'],
    pipeline_runs: ['select', 'insert', 'update'],
    pipeline_stage_jobs: ['select', 'insert'],
  },
};
