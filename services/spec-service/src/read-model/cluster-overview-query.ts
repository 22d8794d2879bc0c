// The deployer's latest overview of a cluster (table cluster_overview, which the deployer writes
// and the spec-service's role may only read): for the plan's slot check.
import type { Queryable } from '@fjc/event-log';
import type { ClusterOverview } from '../use-cases/plan-spec/plan-parts';

interface OverviewRow {
  cluster: string;
  slots_total: number | null;
  slots_free: number | null;
  taskmanagers: number | null;
  flink_version: string | null;
  observed_at: Date | null;
  checked_at: Date;
  error: string | null;
}

export async function findClusterOverview(q: Queryable, cluster: string): Promise<ClusterOverview | null> {
  const res = await q.query<OverviewRow>(
    'select cluster, slots_total, slots_free, taskmanagers, flink_version, observed_at, checked_at, error from cluster_overview where cluster = $1',
    [cluster],
  );
  const row = res.rows[0];
  if (!row) return null;
  return {
    cluster: row.cluster,
    slotsTotal: row.slots_total,
    slotsFree: row.slots_free,
    taskManagers: row.taskmanagers,
    flinkVersion: row.flink_version,
    observedAt: row.observed_at,
    checkedAt: row.checked_at,
    error: row.error,
  };
}
