// `node services/deployer/dist/migrate-main.js`, also run by `fjc db migrate`: the deployer's migration
// step, with the owner's DATABASE_URL: its migrations (after the event log's), then its role and grants.
import { runMigrateEntry } from '@fjc/event-log';
import { DEPLOYER_SCHEMA } from './migrations/schema';

runMigrateEntry(DEPLOYER_SCHEMA);
