// One look at a Flink job: its state, the root exception when it failed or is failing, its
// restart count (the job metric numRestarts) and checkpoint counts, its exception history when it
// is restarting or failing or restarted since the last look, and, only while it runs, its back
// pressure (the worst level over its vertices: one call per vertex, fewer when one is already
// high) and the records its source vertices emit per second (numRecordsOutPerSecond summed over
// their subtasks). Every detail but the state is best effort: failing to read it must not hold
// back the job's state.
import type { BackpressureLevel, CheckpointCounts, CheckpointRef, FlinkClient, FlinkJobView, JobExceptionEntry } from '../flink/flink-port';

export interface JobLook {
  readonly view: FlinkJobView | null;
  readonly rootException: string | null;
  /** null when not sampled (job not RUNNING), not known yet, or not readable this time. */
  readonly backpressure: BackpressureLevel | null;
  /** Why back pressure could not be read, when a call failed. */
  readonly backpressureError?: string;
  /** The cluster's Flink version; null when the job is unknown or the version could not be read. */
  readonly flinkVersion: string | null;
  /** The latest completed checkpoint Flink retains for the job (stored, with a path); null when
   *  none, unknown or not readable this time. */
  readonly checkpoint?: CheckpointRef | null;
  /** Flink's numRestarts for the job; null when not read. */
  readonly restarts?: number | null;
  readonly checkpointCounts?: CheckpointCounts | null;
  /** Sum of numRecordsOutPerSecond over the source vertices of a RUNNING job; null when not read. */
  readonly recordsOutPerSecond?: number | null;
  /** The exception history (newest first), read when the job is restarting, failing or failed, or restarted since the last look; null otherwise. */
  readonly exceptions?: readonly JobExceptionEntry[] | null;
}

/** States in which the exception history is read on every look. */
const TROUBLED: ReadonlySet<string> = new Set(['RESTARTING', 'FAILING', 'FAILED']);
/** States whose root exception becomes JobObserved.failure. */
const FAILURE_STATES: ReadonlySet<string> = new Set(['FAILED', 'FAILING']);

const RANK: Record<BackpressureLevel, number> = { ok: 0, low: 1, high: 2 };

/** The worst of the levels known; null when none is. */
export function worstBackpressure(levels: readonly (BackpressureLevel | null)[]): BackpressureLevel | null {
  return levels.reduce<BackpressureLevel | null>((worst, level) => (level !== null && (worst === null || RANK[level] > RANK[worst]) ? level : worst), null);
}

/** `lastRestarts`: the restart count last reported for the job (null: none yet). */
export async function lookAtJob(flink: FlinkClient, flinkJobId: string, lastRestarts: number | null = null): Promise<JobLook> {
  const view = await flink.job(flinkJobId);
  // Read once per cluster and cached by the client; like back pressure, a detail that must not
  // hold back the job's state when it cannot be read.
  const flinkVersion = view === null ? null : await flink.flinkVersion().catch(() => null);
  const rootException = view !== null && FAILURE_STATES.has(view.state) ? await flink.rootException(flinkJobId) : null;
  // The newest retained checkpoint, recorded as it completes: the state to start from should
  // Flink lose the job. A detail too: failing to read it must not hold back the job's state.
  const summary = view === null ? null : await flink.checkpoints(flinkJobId).catch(() => null);
  const completed = summary?.latestCompleted;
  const checkpoint = completed?.externalPath !== undefined ? completed : null;
  const checkpointCounts = summary?.counts ?? null;
  const restarts = view === null ? null : await readRestarts(flink, flinkJobId);
  const restarted = restarts !== null && restarts > (lastRestarts ?? 0);
  const exceptions = view !== null && (TROUBLED.has(view.state) || restarted) ? await flink.exceptionHistory(flinkJobId).catch(() => null) : null;
  const details = { rootException, flinkVersion, checkpoint, checkpointCounts, restarts, exceptions };
  if (view?.state !== 'RUNNING') return { view, backpressure: null, recordsOutPerSecond: null, ...details };
  const recordsOutPerSecond = await sourceOutputRate(flink, flinkJobId, view);
  try {
    return { view, backpressure: await sampleBackpressure(flink, flinkJobId, view.vertexIds), recordsOutPerSecond, ...details };
  } catch (err) {
    // Back pressure is a detail of a running job: failing to read it must not hold back its state.
    return { view, backpressure: null, backpressureError: err instanceof Error ? err.message : String(err), recordsOutPerSecond, ...details };
  }
}

async function readRestarts(flink: FlinkClient, flinkJobId: string): Promise<number | null> {
  const metrics = await flink.jobMetrics(flinkJobId, ['numRestarts']).catch(() => null);
  const n = metrics?.['numRestarts'];
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : null;
}

/** null until every source vertex reported the metric (the JobManager fetches metrics lazily). */
async function sourceOutputRate(flink: FlinkClient, flinkJobId: string, view: FlinkJobView): Promise<number | null> {
  const sources = view.sourceVertexIds ?? [];
  if (sources.length === 0) return null;
  let sum = 0;
  for (const vertexId of sources) {
    const rate = await flink.vertexMetricSum(flinkJobId, vertexId, 'numRecordsOutPerSecond').catch(() => null);
    if (rate === null || !Number.isFinite(rate)) return null;
    sum += rate;
  }
  return Math.max(0, sum);
}

async function sampleBackpressure(flink: FlinkClient, flinkJobId: string, vertexIds: readonly string[]): Promise<BackpressureLevel | null> {
  const levels: (BackpressureLevel | null)[] = [];
  for (const vertexId of vertexIds) {
    const level = await flink.vertexBackpressure(flinkJobId, vertexId);
    if (level === 'high') return 'high';
    levels.push(level);
  }
  return worstBackpressure(levels);
}
