// The parts of the spec-service's answers the CLI reads, as zod schemas: parsed at this edge
// so a changed or broken answer is a clear error. Objects are not strict: the service may add
// fields without breaking the CLI.
import { z } from 'zod';

export const ApiIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
  code: z.string().optional(),
  line: z.number().optional(),
  column: z.number().optional(),
});
export type ApiIssue = z.infer<typeof ApiIssueSchema>;

export const ErrorBodySchema = z.object({ errors: z.array(ApiIssueSchema).min(1) });

export const ApplyResponseSchema = z.object({
  jobId: z.string(),
  version: z.number(),
  changed: z.boolean(),
  warnings: z.array(ApiIssueSchema),
});

/** warnings: a rollback's (FJC_ROLLBACK_*); absent from other changes and older spec-services. */
export const ChangeResponseSchema = z.object({ jobId: z.string(), version: z.number(), changed: z.boolean(), warnings: z.array(ApiIssueSchema).optional() });

const ErrorInfoSchema = z.object({ code: z.string(), message: z.string() });

export const JobSummarySchema = z.object({
  jobId: z.string(),
  version: z.number(),
  jobType: z.string(),
  desiredState: z.string(),
  deleted: z.boolean(),
  state: z.string(),
  deployedVersion: z.number().nullable(),
  lastStableVersion: z.number().nullable(),
  flinkJobId: z.string().nullable(),
  /** Absent from spec-services older than version detection. */
  flinkVersion: z.string().nullable().optional(),
  lastError: ErrorInfoSchema.nullable(),
  reason: z.string().nullable(),
  /** Absent from spec-services older than the stability gates. */
  restarts: z.number().nullable().optional(),
  candidate: z.boolean().optional(),
  failedVersion: z.number().nullable().optional(),
  updatedAt: z.string(),
});
export type JobSummary = z.infer<typeof JobSummarySchema>;

export const JobViewSchema = JobSummarySchema.extend({ specHash: z.string(), spec: z.record(z.string(), z.unknown()) });

export const JobListSchema = z.object({ jobs: z.array(JobSummarySchema) });

export const LoggedEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  jobId: z.string(),
  streamId: z.string(),
  streamVersion: z.number(),
  position: z.string(),
  occurredAt: z.string(),
  producer: z.string(),
  actor: z.object({ kind: z.string(), id: z.string() }),
  correlationId: z.string(),
  causationId: z.string().nullable(),
  traceId: z.string().optional(),
  payload: z.unknown(),
});
export type LoggedEvent = z.infer<typeof LoggedEventSchema>;

export const JobEventsSchema = z.object({ jobId: z.string(), events: z.array(LoggedEventSchema) });

export const SavepointListSchema = z.object({
  jobId: z.string(),
  savepoints: z.array(
    z.object({
      path: z.string(),
      version: z.number(),
      specHash: z.string(),
      flinkJobId: z.string(),
      takenAt: z.string(),
      origin: z.string(),
      disposedAt: z.string().nullable(),
    }),
  ),
});
