// The spec-service's part of the database: its migrations, and what its role may do (applied by
// the migration step, `node services/spec-service/dist/migrate-main.js` or `fjc db migrate`).
import type { FjcEventType } from '@fjc/contracts';
import type { ServiceSchema } from '@fjc/event-log';
import { SPEC_SERVICE_MIGRATIONS } from './index';

const APPENDS: readonly FjcEventType[] = ['SpecUpdated', 'JobSuspendRequested', 'JobResumeRequested', 'JobRolledBack', 'JobDeleteRequested', 'SavepointRequested', 'JobRecoveryRequested', 'TemplateVersionRecorded'];

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
  },
};
