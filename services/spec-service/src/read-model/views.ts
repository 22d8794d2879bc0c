// The shapes the read side returns (HTTP responses, CLI input), as zod schemas: the types come
// from z.infer and the OpenAPI document from z.toJSONSchema, so each shape is written once.
import { z } from 'zod';
import {
  ActorSchema,
  ErrorInfoSchema,
  EventEnvelopeSchema,
  FlinkJobIdSchema,
  JobIdSchema,
  JobSpecSchema,
  LifecycleStateSchema,
  SpecVersionSchema,
} from '@fjc/contracts';

/** The lifecycle fields of a job, from the reconciler's LifecycleChanged events. */
const statusFields = {
  /** CREATED until the reconciler reports the first lifecycle change. */
  state: LifecycleStateSchema,
  desiredVersion: SpecVersionSchema.nullable(),
  deployedVersion: SpecVersionSchema.nullable(),
  lastStableVersion: SpecVersionSchema.nullable(),
  flinkJobId: FlinkJobIdSchema.nullable(),
  /** The Flink version of the cluster the job last ran on, read from that cluster's REST API. */
  flinkVersion: z.string().nullable(),
  lastError: ErrorInfoSchema.nullable(),
  reason: z.string().nullable(),
  alert: z.boolean(),
  statusChangedAt: z.iso.datetime().nullable(),
};

export const JobSummarySchema = z.object({
  jobId: JobIdSchema,
  /** The current spec version. */
  version: SpecVersionSchema,
  jobType: z.enum(['stream', 'batch']),
  /** The state the spec asks for. */
  desiredState: z.enum(['running', 'suspended']),
  deleted: z.boolean(),
  ...statusFields,
  updatedAt: z.iso.datetime(),
});
export type JobSummary = z.infer<typeof JobSummarySchema>;

export const JobViewSchema = JobSummarySchema.extend({
  specHash: z.string(),
  spec: JobSpecSchema,
  createdAt: z.iso.datetime(),
});
export type JobView = z.infer<typeof JobViewSchema>;

export const JobListSchema = z.object({ jobs: z.array(JobSummarySchema) });

export const SPEC_VERSION_EVENT_TYPES = ['SpecUpdated', 'JobSuspendRequested', 'JobResumeRequested', 'JobRolledBack'] as const;

export const SpecVersionViewSchema = z.object({
  version: SpecVersionSchema,
  /** The event that made this version. */
  type: z.enum(SPEC_VERSION_EVENT_TYPES),
  specHash: z.string(),
  spec: JobSpecSchema,
  /** For rollbacks: the version whose content this one repeats. */
  rolledBackTo: SpecVersionSchema.optional(),
  occurredAt: z.iso.datetime(),
  actor: ActorSchema,
  correlationId: z.string(),
  eventId: z.uuid(),
});
export type SpecVersionView = z.infer<typeof SpecVersionViewSchema>;

export const VersionListSchema = z.object({ jobId: JobIdSchema, deleted: z.boolean(), versions: z.array(SpecVersionViewSchema) });
export type VersionList = z.infer<typeof VersionListSchema>;

/** A logged event as the public envelope, with where it sits in the log. */
export const LoggedEventSchema = EventEnvelopeSchema.extend({
  /** Global position in the log (a decimal string: it is 64-bit). */
  position: z.string(),
  streamId: z.string(),
});
export type LoggedEvent = z.infer<typeof LoggedEventSchema>;

export const JobEventsSchema = z.object({ jobId: JobIdSchema, events: z.array(LoggedEventSchema) });

export const EventsPageSchema = z.object({
  events: z.array(LoggedEventSchema),
  /** Pass as `after` to read on; the same `after` again when there was nothing new. */
  next: z.string(),
});
export type EventsPage = z.infer<typeof EventsPageSchema>;
