// The event id of a tick, derived from the job and the scheduled time (a name-based UUID,
// version 5 of RFC 9562): every scheduler instance computes the same id for the same tick, so
// the log's unique event id turns a second attempt into a duplicate instead of a second run.
import { createHash } from 'node:crypto';

/** Fixed for FJC schedule ticks; changing it would let old and new ticks of one time differ. */
export const TICK_ID_NAMESPACE = '5b0f7c9e-3d1a-4e8b-9a61-2c4f8e7d6b10';

export function tickEventId(jobId: string, scheduledTime: string): string {
  return uuidV5(TICK_ID_NAMESPACE, `${jobId}|${scheduledTime}`);
}

export function uuidV5(namespace: string, name: string): string {
  const bytes = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
