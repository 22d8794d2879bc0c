// The scheduler's part of the database: its migrations, and what its role may do (applied by
// the migration step, `node services/scheduler/dist/migrate-main.js` or `fjc db migrate`).
import type { FjcEventType } from '@fjc/contracts';
import type { ServiceSchema } from '@fjc/event-log';
import { SCHEDULER_MIGRATIONS } from './index';

const APPENDS: readonly FjcEventType[] = ['ScheduleTick'];

export const SCHEDULER_SCHEMA: ServiceSchema = {
  service: 'scheduler',
  migrations: SCHEDULER_MIGRATIONS,
  eventTypes: APPENDS,
  tables: { scheduler_schedules: ['select', 'insert', 'update', 'delete'] },
};
