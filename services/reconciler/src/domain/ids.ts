// Identifiers the reconciler chooses before anything calls Flink. Injected so decisions are
// deterministic in tests.
import { randomBytes, randomUUID } from 'node:crypto';

export interface IdSource {
  actionId(): string;
  /** 32 lowercase hex digits: a Flink JobID or savepoint triggerId. */
  flinkId(): string;
}

export const randomIds: IdSource = {
  actionId: () => randomUUID(),
  flinkId: () => randomBytes(16).toString('hex'),
};
