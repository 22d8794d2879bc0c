// `node services/scheduler/dist/migrate-main.js`, also run by `fjc db migrate`: the scheduler's migration
// step, with the owner's DATABASE_URL: its migrations (after the event log's), then its role and grants.
import { runMigrateEntry } from '@fjc/event-log';
import { SCHEDULER_SCHEMA } from './persistence/migrations/schema';

runMigrateEntry(SCHEDULER_SCHEMA);
