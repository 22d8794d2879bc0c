// The Flink exceptions of a job as FJC recorded them (GET /api/v1/jobs/{jobId}/exceptions): each
// JobExceptionObserved the deployer logged from Flink's exception history, with the spec version
// whose Flink job it came from and where it sits in the log. Newest first.
import { z } from 'zod';
import { JobIdSchema, SpecVersionSchema } from '../messages/common';
import { JobExceptionObservedV1 } from '../messages/observation-events';

export const JobExceptionViewSchema = JobExceptionObservedV1.extend({
  /** The spec version FJC deployed as this Flink job; null when the log does not say (a job FJC did not start). */
  version: SpecVersionSchema.nullable(),
  /** When the deployer recorded it. */
  observedAt: z.iso.datetime(),
  /** Global position of the event in the log (a decimal string: it is 64-bit). */
  position: z.string(),
});
export type JobExceptionView = z.infer<typeof JobExceptionViewSchema>;

export const JobExceptionListSchema = z.object({ jobId: JobIdSchema, exceptions: z.array(JobExceptionViewSchema) });
export type JobExceptionList = z.infer<typeof JobExceptionListSchema>;
