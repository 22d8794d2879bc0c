// cluster_overview: the latest overview of each cluster, for the spec-service's plan (which may
// only read it). An answer replaces the slot counts; a failure keeps the last ones and notes
// when and why the cluster did not answer. Every deployer instance writes the same rows.
import type { Queryable } from '@fjc/event-log';

export interface ClusterOverviewRow {
  readonly slotsTotal: number;
  readonly slotsFree: number;
  readonly taskManagers: number;
  readonly flinkVersion: string;
}

/** One look at a cluster: its overview, or why there is none. */
export interface ClusterSnapshot {
  readonly overview: ClusterOverviewRow | null;
  readonly error: string | null;
  readonly checkedAt: Date;
}

export async function recordSnapshot(q: Queryable, cluster: string, snapshot: ClusterSnapshot): Promise<void> {
  const o = snapshot.overview;
  if (o === null) {
    await q.query(
      `insert into cluster_overview (cluster, checked_at, error) values ($1, $2, $3)
       on conflict (cluster) do update set checked_at = excluded.checked_at, error = excluded.error`,
      [cluster, snapshot.checkedAt, (snapshot.error ?? 'no answer').slice(0, 500)],
    );
    return;
  }
  await q.query(
    `insert into cluster_overview (cluster, slots_total, slots_free, taskmanagers, flink_version, observed_at, checked_at, error)
     values ($1, $2, $3, $4, $5, $6, $6, null)
     on conflict (cluster) do update set slots_total = excluded.slots_total, slots_free = excluded.slots_free,
       taskmanagers = excluded.taskmanagers, flink_version = excluded.flink_version, observed_at = excluded.observed_at,
       checked_at = excluded.checked_at, error = null`,
    [cluster, o.slotsTotal, o.slotsFree, o.taskManagers, o.flinkVersion, snapshot.checkedAt],
  );
}
