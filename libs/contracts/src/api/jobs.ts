// The shapes the API's queries return, as zod schemas written once for the spec-service (types by
// z.infer, the OpenAPI document by z.toJSONSchema), the CLI and the console (parsed at their edge).
import { z } from 'zod';
import { ActorSchema, ErrorInfoSchema, FlinkJobIdSchema, JobIdSchema, SpecVersionSchema } from '../messages/common';
import { EventEnvelopeSchema } from '../messages/envelope';
import { LifecycleStateSchema } from '../messages/lifecycle-events';
import { SAVEPOINT_ORIGINS } from '../messages/stability-events';
import { JobSpecSchema } from '../spec/job-spec';

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
  /** Restarts of the current Flink job, as Flink counts them; null when not reported. */
  restarts: z.int().min(0).nullable(),
  /** The deployed version has not passed its stability gates yet. */
  candidate: z.boolean(),
  /** The version that failed its gates (or its job) and was rolled back; not tried again until a new version. */
  failedVersion: SpecVersionSchema.nullable(),
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
  /** The spec's namespace, cluster and labels: what the list filters on. */
  namespace: z.string(),
  cluster: z.string(),
  labels: z.record(z.string(), z.string()),
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

/** One page of GET /api/v1/jobs, by job id. */
export const JobListSchema = z.object({
  jobs: z.array(JobSummarySchema),
  /** Pass as `cursor` (with the same filters) for the next page; null on the last page. */
  next: z.string().nullable(),
});
export type JobList = z.infer<typeof JobListSchema>;

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

/** A savepoint FJC recorded, with the spec version and hash of the job it came from. */
export const SavepointViewSchema = z.object({
  path: z.string(),
  version: SpecVersionSchema,
  specHash: z.string(),
  flinkJobId: FlinkJobIdSchema,
  takenAt: z.iso.datetime(),
  /** upgrade/stop: taken when that version's job was stopped; triggered: asked for; observed: found in Flink. */
  origin: z.enum(SAVEPOINT_ORIGINS),
  /** When a DisposeSavepoint action removed it (the files are gone); null while it exists. */
  disposedAt: z.iso.datetime().nullable(),
});
export type SavepointView = z.infer<typeof SavepointViewSchema>;

/** Newest first; disposed ones stay listed with disposedAt set. */
export const SavepointListSchema = z.object({ jobId: JobIdSchema, savepoints: z.array(SavepointViewSchema) });
export type SavepointList = z.infer<typeof SavepointListSchema>;

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
  /** Pass as `after` (with the same filters) to read on; the same `after` again when there was nothing new. A filtered
   *  page may hold fewer than `limit` events (even none) while `next` moves on: the feed is read to its end when `next` equals the `after` passed. */
  next: z.string(),
});
export type EventsPage = z.infer<typeof EventsPageSchema>;

