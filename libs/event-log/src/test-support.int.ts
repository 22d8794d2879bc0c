// Shared setup of the event log's integration tests: a migrated throwaway database with an
// owner pool and a writer-role pool (a role made as the migration step makes a service's, for
// the test event types these tests append).
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@fjc/testing';
import { migrateDatabase, roleUrl } from './migrate';
import { databaseOf, provisionServiceRole, serviceRoleName } from './roles';
import type { AppendResult, ExpectedVersion, NewEvent } from './types';
import { appendToStream } from './append';
import { inTransaction } from './transaction';

export interface LogTestDb {
  readonly db: TestDatabase;
  readonly owner: Pool;
  readonly app: Pool;
  close(): Promise<void>;
}

export async function migratedTestDb(): Promise<LogTestDb> {
  const db = await createTestDatabase();
  await migrateDatabase(db.url);
  const owner = new Pool({ connectionString: db.url, max: 40 });
  const role = serviceRoleName('test', databaseOf(db.url));
  await provisionServiceRole(owner, role, { service: 'test', eventTypes: TEST_EVENT_TYPES, tables: {} });
  const app = new Pool({ connectionString: roleUrl(db.url, role), max: 40 });
  return {
    db,
    owner,
    app,
    close: async () => {
      await Promise.all([owner.end(), app.end()]);
      await db.drop();
    },
  };
}

/** Every event type these tests append, as producer `test`. */
export const TEST_EVENT_TYPES = ['TestHappened', 'Step', 'After', 'Doomed', 'Early', 'Late', 'Counted'];

export function newEvent(jobId: string, type = 'TestHappened', payload: unknown = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    jobId,
    payload,
    metadata: { producer: 'test', actor: { kind: 'service', id: 'test' }, correlationId: randomUUID(), causationId: null },
    occurredAt: new Date(),
  };
}

/** One append in its own transaction. */
export function appendNow(pool: Pool, streamId: string, expected: ExpectedVersion, events: NewEvent[]): Promise<AppendResult> {
  return inTransaction(pool, (tx) => appendToStream(tx, streamId, expected, events));
}
