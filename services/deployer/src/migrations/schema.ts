// The deployer's part of the database: its migrations, and what its role may do (applied by
// the migration step, `node services/deployer/dist/migrate-main.js` or `fjc db migrate`).
// It may not append spec, schedule or reconciler events: only the results of its actions.
import type { FjcEventType } from '@fjc/contracts';
import type { ServiceSchema } from '@fjc/event-log';
import { DEPLOYER_MIGRATIONS } from './index';

const APPENDS: readonly FjcEventType[] = ['ActionStarted', 'ActionSucceeded', 'ActionFailed', 'JobObserved', 'JobExceptionObserved'];

export const DEPLOYER_SCHEMA: ServiceSchema = {
  service: 'deployer',
  migrations: DEPLOYER_MIGRATIONS,
  eventTypes: APPENDS,
  tables: {
    deployer_actions: ['select', 'insert', 'update', 'delete'],
    deployer_jars: ['select', 'insert', 'update', 'delete'],
    deployer_jobs: ['select', 'insert', 'update', 'delete'],
    deployer_job_exceptions: ['select', 'insert', 'delete'],
    // Each cluster's latest overview, read by the spec-service's plan.
    cluster_overview: ['select', 'insert', 'update'],
  },
};
