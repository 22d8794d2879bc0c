// The event id of a tick, derived from the job and the scheduled time (a name-based UUID,
// version 5 of RFC 9562): every scheduler instance computes the same id for the same tick, so
// the log's unique event id turns a second attempt into a duplicate instead of a second run.
import { v5 as uuidV5 } from 'uuid';

/** Fixed for FJC schedule ticks; changing it would let old and new ticks of one time differ. */
export const TICK_ID_NAMESPACE = '5b0f7c9e-3d1a-4e8b-9a61-2c4f8e7d6b10';

export function tickEventId(jobId: string, scheduledTime: string): string {
  return uuidV5(`${jobId}|${scheduledTime}`, TICK_ID_NAMESPACE);
}
