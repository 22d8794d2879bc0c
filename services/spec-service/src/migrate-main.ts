// `node services/spec-service/dist/migrate-main.js`, also run by `fjc db migrate`: the spec-service's migration
// step, with the owner's DATABASE_URL: its migrations (after the event log's), then its role and grants.
import { runMigrateEntry } from '@fjc/event-log';
import { SPEC_SERVICE_SCHEMA } from './migrations/schema';

runMigrateEntry(SPEC_SERVICE_SCHEMA);
