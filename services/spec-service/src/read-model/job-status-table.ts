// job_status: the lifecycle read model, one row per job, written from the reconciler's
// LifecycleChanged events in the consuming message's transaction. Events are ordered by their
// version in the reconciler's stream; an older one arriving late (a replay, a redelivery) is
// ignored, so the row only ever moves forward. restarts, candidate and failedVersion are absent
// in events older than the stability gates: they are then null, false and null.
import type { EventOf } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';

export async function recordLifecycle(tx: Queryable, event: EventOf<'LifecycleChanged'>): Promise<'applied' | 'stale'> {
  const p = event.payload;
  const res = await tx.query(
    `insert into job_status (job_id, lifecycle_version, state, desired_version, deployed_version, last_stable_version,
                             flink_job_id, last_error, reason, alert, changed_at, flink_version, restarts, candidate, failed_version, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now())
     on conflict (job_id) do update set
       lifecycle_version = excluded.lifecycle_version, state = excluded.state, desired_version = excluded.desired_version,
       deployed_version = excluded.deployed_version, last_stable_version = excluded.last_stable_version,
       flink_job_id = excluded.flink_job_id, last_error = excluded.last_error, reason = excluded.reason,
       alert = excluded.alert, changed_at = excluded.changed_at,
       flink_version = coalesce(excluded.flink_version, job_status.flink_version), restarts = excluded.restarts,
       candidate = excluded.candidate, failed_version = excluded.failed_version, updated_at = now()
     where job_status.lifecycle_version < excluded.lifecycle_version`,
    [
      event.jobId,
      event.streamVersion,
      p.to,
      p.desiredVersion,
      p.deployedVersion,
      p.lastStableVersion,
      p.flinkJobId,
      p.lastError === null ? null : JSON.stringify(p.lastError),
      p.reason,
      p.alert,
      event.occurredAt,
      p.flinkVersion ?? null,
      p.restarts ?? null,
      p.candidate ?? false,
      p.failedVersion ?? null,
    ],
  );
  return res.rowCount === 1 ? 'applied' : 'stale';
}
