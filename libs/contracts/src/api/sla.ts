// The service-level report (GET /api/v1/sla, `fjc sla report`): per job with a service level,
// how many runs (batch) or windows (stream) of the range met it and which missed, from the
// SlaMissed events the reconciler recorded.
import { z } from 'zod';
import { JobIdSchema } from '../messages/common';
import { SlaMissedV1 } from '../messages/stability-events';

export const SlaMissViewSchema = SlaMissedV1.extend({
  /** When the reconciler recorded the miss. */
  recordedAt: z.iso.datetime(),
});
export type SlaMissView = z.infer<typeof SlaMissViewSchema>;

export const SlaJobReportSchema = z.object({
  jobId: JobIdSchema,
  namespace: z.string(),
  jobType: z.enum(['stream', 'batch']),
  /** The service level of the current spec, as written there (null: none now, misses from before). */
  target: z.string().nullable(),
  /** Batch: runs started in the range that were judged (finished, or missed); stream: whole windows of the range. */
  judged: z.int().min(0),
  met: z.int().min(0),
  missed: z.int().min(0),
  misses: z.array(SlaMissViewSchema),
});
export type SlaJobReport = z.infer<typeof SlaJobReportSchema>;

export const SlaReportSchema = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  jobs: z.array(SlaJobReportSchema),
});
export type SlaReport = z.infer<typeof SlaReportSchema>;
