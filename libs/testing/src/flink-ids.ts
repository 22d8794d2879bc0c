// Flink job ids and savepoint trigger ids: 32 lowercase hex digits, chosen by the caller.
import { randomBytes } from 'node:crypto';

export function newFlinkId(): string {
  return randomBytes(16).toString('hex');
}
