// The FlinkClient port: the Flink calls the deployer makes, with small result types, so the use
// cases run against the real REST client in production and an in-memory Flink in unit tests.
import type {
  BackpressureLevel, CheckpointCounts, CheckpointRef, CheckpointSummary, FlinkJobState, JobExceptionEntry, RunJarRequest, RunJarResult, SavepointDisposalStatus, SavepointStatus,
} from '@fjc/flink-client';

export type { BackpressureLevel, CheckpointCounts, CheckpointRef, CheckpointSummary, JobExceptionEntry, RunJarRequest, RunJarResult, SavepointDisposalStatus, SavepointStatus };

/** What the deployer reads of a Flink job. Times are epoch milliseconds; -1 when not reached. */
export interface FlinkJobView {
  readonly jid: string;
  readonly state: FlinkJobState;
  readonly startTime: number;
  readonly endTime: number;
  /** The vertices whose tasks run (Flink answers 500 for the back pressure of others: deploying or finished). */
  readonly vertexIds: readonly string[];
  /** The job's source vertices (no inputs in its plan), running or not. */
  readonly sourceVertexIds?: readonly string[];
}

export interface FlinkClient {
  /** Uploads the jar under `name` (what Flink lists it as); not idempotent: see listJarFiles. */
  uploadJar(path: string, name: string): Promise<string>;
  /** The jars Flink has: its id and the name each was uploaded under. */
  listJarFiles(): Promise<Array<{ id: string; name: string }>>;
  /** true when Flink deleted the jar, false when it had no such jar (already gone). */
  deleteJar(jarId: string): Promise<boolean>;
  runJar(jarId: string, req: RunJarRequest): Promise<RunJarResult>;
  /** null when the cluster does not know the job. */
  job(jobId: string): Promise<FlinkJobView | null>;
  stopWithSavepoint(jobId: string, opts: { triggerId: string; targetDirectory?: string; drain?: boolean }): Promise<string>;
  triggerSavepoint(jobId: string, opts: { triggerId: string; targetDirectory?: string }): Promise<string>;
  savepointStatus(jobId: string, triggerId: string): Promise<SavepointStatus>;
  /** true when Flink accepted the cancellation, false when it does not know the job. */
  cancel(jobId: string): Promise<boolean>;
  rootException(jobId: string): Promise<string | null>;
  checkpoints(jobId: string): Promise<CheckpointSummary | null>;
  /** How stale an answer of `checkpoints` may be (Flink caches the statistics; read once, then cached). */
  checkpointStatsMaxAgeMs(): Promise<number>;
  /** null while Flink has no back-pressure statistics for the vertex. */
  vertexBackpressure(jobId: string, vertexId: string): Promise<BackpressureLevel | null>;
  /** The Flink version the cluster runs, from its REST API (read once, then cached). */
  flinkVersion(): Promise<string>;
  /** The job's exception history, newest first; null when the job is unknown. */
  exceptionHistory(jobId: string): Promise<JobExceptionEntry[] | null>;
  /** Job-level metrics by name (numRestarts); null when the job is unknown. */
  jobMetrics(jobId: string, names: readonly string[]): Promise<Record<string, number> | null>;
  /** Sum over the vertex's subtasks of a task metric; null until reported. */
  vertexMetricSum(jobId: string, vertexId: string, metric: string): Promise<number | null>;
  /** Starts disposing of a savepoint; returns the trigger id Flink chose. */
  disposeSavepoint(path: string): Promise<string>;
  savepointDisposalStatus(triggerId: string): Promise<SavepointDisposalStatus>;
}

/** Every call of the port, for wrappers (retry, circuit breaker) that decorate each one. */
export const FLINK_CLIENT_METHODS = [
  'uploadJar',
  'listJarFiles',
  'deleteJar',
  'runJar',
  'job',
  'stopWithSavepoint',
  'triggerSavepoint',
  'savepointStatus',
  'cancel',
  'rootException',
  'checkpoints',
  'checkpointStatsMaxAgeMs',
  'vertexBackpressure',
  'flinkVersion',
  'exceptionHistory',
  'jobMetrics',
  'vertexMetricSum',
  'disposeSavepoint',
  'savepointDisposalStatus',
] as const satisfies readonly (keyof FlinkClient)[];

/** The configured session clusters, by name. */
export interface FlinkClusters {
  /** The cluster's client, or null when no cluster has that name. */
  client(cluster: string): FlinkClient | null;
  /**
   * When the cluster's circuit breaker is open (its recent calls failed): the time (epoch ms) it
   * lets a trial call through again; null when calls go through now. Absent: no breaker.
   */
  blockedUntil?(cluster: string): number | null;
}

export const FLINK_CLUSTERS = Symbol('FLINK_CLUSTERS');

export const TERMINAL_FLINK_STATES: readonly FlinkJobState[] = ['FINISHED', 'CANCELED', 'FAILED'];

/** A job in one of these states will not run again; NOT_FOUND (null) counts as gone too. */
export function isTerminal(state: FlinkJobState | 'NOT_FOUND'): boolean {
  return state === 'NOT_FOUND' || (TERMINAL_FLINK_STATES as readonly string[]).includes(state);
}
