// Ticks of batch schedules, written by the scheduler on fjc.schedule.ticks. A tick is made
// exactly once per job and scheduled time; its envelope id is derived from both, so a
// re-sent tick is recognised as the same event.
import { z } from 'zod';
import { CronSchema, TimeZoneSchema } from '../spec/field-types';
import { SpecVersionSchema, UtcTimestampSchema } from './common';

export const ScheduleTickV1 = z.strictObject({
  /** The time the cron schedule named, in UTC (not when the tick was sent). */
  scheduledTime: UtcTimestampSchema,
  /** The spec version whose batch_config produced the tick. */
  specVersion: SpecVersionSchema,
  /** 1 for the first run of this job, counted across versions (batch_config.max_runs). */
  runNumber: z.int().min(1),
  cron: CronSchema,
  timezone: TimeZoneSchema,
});
