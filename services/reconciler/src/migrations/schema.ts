// The reconciler's part of the database: its migrations, and what its role may do (applied by
// the migration step, `node services/reconciler/dist/migrate-main.js` or `fjc db migrate`).
import type { FjcEventType } from '@fjc/contracts';
import type { ServiceSchema } from '@fjc/event-log';
import { DECISION_EVENT_TYPES } from '../domain/own-events';
import { CreateReconcilerJobs1764100000000 } from './1764100000000-create-reconciler-jobs';
import { ReconcilerNextLook1769500000000 } from './1769500000000-reconciler-next-look';
import { ReconcilerMetricTimes1770000000000 } from './1770000000000-reconciler-metric-times';

const APPENDS: readonly FjcEventType[] = ['ActionRequested', 'LifecycleChanged', ...DECISION_EVENT_TYPES];

export const RECONCILER_SCHEMA: ServiceSchema = {
  service: 'reconciler',
  migrations: [CreateReconcilerJobs1764100000000, ReconcilerNextLook1769500000000, ReconcilerMetricTimes1770000000000],
  eventTypes: APPENDS,
  tables: { reconciler_jobs: ['select', 'insert', 'update'] },
};
