// The scheduler's migrations, applied after the event log's by PlatformModule.
import type { MigrationClass } from '@fjc/event-log';
import { CreateSchedulerSchedules1764310000000 } from './1764310000000-create-scheduler-schedules';

export const SCHEDULER_MIGRATIONS: readonly MigrationClass[] = [CreateSchedulerSchedules1764310000000];
