// One look at a Flink job: its state, the root exception when it failed, and, only while it
// runs, its back pressure: the worst level over its vertices. That costs one call per vertex
// (fewer when one is already high) at the observation interval, and nothing for jobs not RUNNING.
import type { BackpressureLevel, CheckpointRef, FlinkClient, FlinkJobView } from '../flink/flink-port';

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
}

const RANK: Record<BackpressureLevel, number> = { ok: 0, low: 1, high: 2 };

/** The worst of the levels known; null when none is. */
export function worstBackpressure(levels: readonly (BackpressureLevel | null)[]): BackpressureLevel | null {
  return levels.reduce<BackpressureLevel | null>((worst, level) => (level !== null && (worst === null || RANK[level] > RANK[worst]) ? level : worst), null);
}

export async function lookAtJob(flink: FlinkClient, flinkJobId: string): Promise<JobLook> {
  const view = await flink.job(flinkJobId);
  // Read once per cluster and cached by the client; like back pressure, a detail that must not
  // hold back the job's state when it cannot be read.
  const flinkVersion = view === null ? null : await flink.flinkVersion().catch(() => null);
  const rootException = view?.state === 'FAILED' ? await flink.rootException(flinkJobId) : null;
  // The newest retained checkpoint, recorded as it completes: the state to start from should
  // Flink lose the job. A detail too: failing to read it must not hold back the job's state.
  const checkpoint = view === null ? null : await latestStoredCheckpoint(flink, flinkJobId);
  if (view?.state !== 'RUNNING') return { view, rootException, backpressure: null, flinkVersion, checkpoint };
  try {
    return { view, rootException, backpressure: await sampleBackpressure(flink, flinkJobId, view.vertexIds), flinkVersion, checkpoint };
  } catch (err) {
    // Back pressure is a detail of a running job: failing to read it must not hold back its state.
    return { view, rootException, backpressure: null, backpressureError: err instanceof Error ? err.message : String(err), flinkVersion, checkpoint };
  }
}

async function latestStoredCheckpoint(flink: FlinkClient, flinkJobId: string): Promise<CheckpointRef | null> {
  const summary = await flink.checkpoints(flinkJobId).catch(() => null);
  const completed = summary?.latestCompleted;
  return completed?.externalPath !== undefined ? completed : null;
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
