// zod schemas of the Flink REST responses FJC reads, as Flink 1.20 and 2.x send them (where the
// two differ, both shapes are accepted here and told apart in flink-rest-client.ts). Unknown
// fields pass through untouched; the fields FJC relies on are checked, so a changed API fails
// loudly at the edge.
import { z } from 'zod';

export const FLINK_JOB_STATES = [
  'INITIALIZING', 'CREATED', 'RUNNING', 'FAILING', 'FAILED', 'CANCELLING', 'CANCELED',
  'FINISHED', 'RESTARTING', 'SUSPENDED', 'RECONCILING',
] as const;
export const FlinkJobState = z.enum(FLINK_JOB_STATES);
export type FlinkJobState = z.infer<typeof FlinkJobState>;
export const TERMINAL_JOB_STATES: readonly FlinkJobState[] = ['FAILED', 'CANCELED', 'FINISHED', 'SUSPENDED'];

export const ClusterOverview = z.looseObject({
  taskmanagers: z.number(),
  'slots-total': z.number(),
  'slots-available': z.number(),
  'jobs-running': z.number(),
  'flink-version': z.string(),
});
export type ClusterOverview = z.infer<typeof ClusterOverview>;

export const JarUploadResponse = z.looseObject({ filename: z.string(), status: z.literal('success') });
export const JarListResponse = z.looseObject({ files: z.array(z.looseObject({ id: z.string(), name: z.string() })) });
export const JarRunResponse = z.looseObject({ jobid: z.string() });

export const JobsOverview = z.looseObject({
  jobs: z.array(z.looseObject({ jid: z.string(), name: z.string(), state: FlinkJobState, 'start-time': z.number(), 'end-time': z.number() })),
});
export type JobSummary = z.infer<typeof JobsOverview>['jobs'][number];

export const JobDetails = z.looseObject({
  jid: z.string(),
  name: z.string(),
  state: FlinkJobState,
  'start-time': z.number(),
  'end-time': z.number(),
  // status: the vertex's ExecutionState (CREATED, SCHEDULED, DEPLOYING, INITIALIZING, RUNNING, FINISHED...).
  vertices: z.array(z.looseObject({ id: z.string(), name: z.string(), parallelism: z.number(), status: z.string().optional() })),
  // The job graph: a node without `inputs` is a source vertex (both lines send it).
  plan: z.looseObject({ nodes: z.array(z.looseObject({ id: z.string(), inputs: z.array(z.unknown()).optional() })) }).optional(),
});
export type JobDetails = z.infer<typeof JobDetails>;

export const TriggerResponse = z.looseObject({ 'request-id': z.string() });

export const SavepointStatusResponse = z.looseObject({
  status: z.looseObject({ id: z.enum(['IN_PROGRESS', 'COMPLETED']) }),
  operation: z
    .looseObject({
      location: z.string().optional(),
      'failure-cause': z.looseObject({ class: z.string().optional(), 'stack-trace': z.string().optional() }).optional(),
    })
    // Flink sends "operation": null while the savepoint is IN_PROGRESS.
    .nullish(),
});

export const ClusterConfig = z.looseObject({ 'flink-version': z.string().min(1), 'refresh-interval': z.number().int().min(0).optional() });

/** GET /jobmanager/config: the options set in the JobManager's configuration, as text. */
export const JobManagerConfig = z.array(z.looseObject({ key: z.string(), value: z.string() }));

/**
 * One entry of GET /jobs/:id/exceptions `exceptionHistory.entries` (newest first; Flink keeps
 * `web.exception-history-size`, 16 by default). Both lines send exceptionName, stacktrace,
 * timestamp (epoch ms) and taskName; the TaskManager is `endpoint` (1.20 and 2.x) and, in 1.20
 * only, the deprecated `location`.
 */
export const ExceptionHistoryEntry = z.looseObject({
  exceptionName: z.string().optional(),
  stacktrace: z.string().optional(),
  timestamp: z.number().optional(),
  taskName: z.string().nullish(),
  endpoint: z.string().nullish(),
  location: z.string().nullish(),
});
export type ExceptionHistoryEntry = z.infer<typeof ExceptionHistoryEntry>;

/** GET /jobs/:id/exceptions. `root-exception` is Flink 1.x only (removed in 2.0); the history is in both. */
export const JobExceptions = z.looseObject({
  'root-exception': z.string().nullish(),
  exceptionHistory: z.looseObject({ entries: z.array(ExceptionHistoryEntry) }).optional(),
});

const CheckpointStats = z.looseObject({
  id: z.number(),
  external_path: z.string().optional(),
  latest_ack_timestamp: z.number().optional(),
});
const RestoredCheckpoint = z.looseObject({ id: z.number(), external_path: z.string().optional() });

/** GET /jobs/:id/checkpoints, reduced to what FJC reads: the latest completed checkpoint, savepoint and restore. */
export const JobCheckpoints = z.looseObject({
  counts: z.looseObject({ completed: z.number(), failed: z.number(), in_progress: z.number() }).optional(),
  latest: z.looseObject({
    completed: CheckpointStats.nullish(),
    savepoint: CheckpointStats.nullish(),
    restored: RestoredCheckpoint.nullish(),
  }),
});

export const BACKPRESSURE_LEVELS = ['ok', 'low', 'high'] as const;
export const BackpressureLevel = z.enum(BACKPRESSURE_LEVELS);
export type BackpressureLevel = z.infer<typeof BackpressureLevel>;

/**
 * GET /jobs/:id/vertices/:vid/backpressure. Flink names the level "backpressure-level" and, through
 * a getter Jackson also serialises, "backpressureLevel"; either is read. status "deprecated" means
 * Flink has no statistics for the vertex yet, and then sends no level.
 */
export const JobVertexBackpressure = z.looseObject({
  status: z.enum(['ok', 'deprecated']),
  'backpressure-level': BackpressureLevel.optional(),
  backpressureLevel: BackpressureLevel.optional(),
  subtasks: z.array(z.looseObject({ subtask: z.number() })).optional(),
});

export const MetricValues = z.array(z.looseObject({ id: z.string(), value: z.string().optional(), sum: z.number().optional() }));

/** GET /jobs/:id/metrics?get=a,b: job-level metrics (numRestarts...), values as strings. */
export const JobMetricValues = z.array(z.looseObject({ id: z.string(), value: z.string() }));

/** GET /savepoint-disposal/:triggerid. A disposal that failed is COMPLETED with a failure cause. */
export const SavepointDisposalStatusResponse = z.looseObject({
  status: z.looseObject({ id: z.enum(['IN_PROGRESS', 'COMPLETED']) }),
  operation: z
    .looseObject({ 'failure-cause': z.looseObject({ class: z.string().optional(), 'stack-trace': z.string().optional() }).optional() })
    .nullish(),
});

export const ErrorResponse = z.looseObject({ errors: z.array(z.string()) });
