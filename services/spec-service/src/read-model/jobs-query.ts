// Reading jobs for the API: the current spec (job_specs) joined with the lifecycle status
// (job_status). A job the reconciler has not reported on yet is CREATED. jsonb keeps its own
// key order, so specs are put back in canonical (sorted) order.
import { canonicalSpec, type ErrorInfo, type JobSpec, type LifecycleState } from '@fjc/contracts';
import type { Queryable } from '@fjc/event-log';
import type { JobSummary, JobView } from '@fjc/contracts';

interface JobRow {
  job_id: string;
  version: number;
  spec_hash: string;
  spec: JobSpec;
  deleted: boolean;
  created_at: Date;
  updated_at: Date;
  state: LifecycleState | null;
  desired_version: number | null;
  deployed_version: number | null;
  last_stable_version: number | null;
  flink_job_id: string | null;
  flink_version: string | null;
  last_error: ErrorInfo | null;
  reason: string | null;
  alert: boolean | null;
  changed_at: Date | null;
  restarts: number | null;
  candidate: boolean | null;
  failed_version: number | null;
}

const SELECT = `
  select s.job_id, s.version, s.spec_hash, s.spec, s.deleted, s.created_at, s.updated_at,
         st.state, st.desired_version, st.deployed_version, st.last_stable_version, st.flink_job_id,
         st.flink_version, st.last_error, st.reason, st.alert, st.changed_at, st.restarts, st.candidate, st.failed_version
    from job_specs s left join job_status st on st.job_id = s.job_id`;

export async function findJob(q: Queryable, jobId: string): Promise<JobView | null> {
  const res = await q.query<JobRow>(`${SELECT} where s.job_id = $1`, [jobId]);
  const row = res.rows[0];
  return row ? { ...summaryOf(row), specHash: row.spec_hash, spec: canonicalSpec(row.spec), createdAt: row.created_at.toISOString() } : null;
}

/** `namespaces`: only jobs in these ("*": every namespace). */
export async function listJobs(q: Queryable, options: { readonly includeDeleted: boolean; readonly namespaces: '*' | readonly string[] }): Promise<JobSummary[]> {
  const namespaces = options.namespaces === '*' ? null : [...options.namespaces];
  const res = await q.query<JobRow>(`${SELECT} where ($1 or not s.deleted) and ($2::text[] is null or s.spec->>'namespace' = any($2)) order by s.job_id`, [
    options.includeDeleted,
    namespaces,
  ]);
  return res.rows.map(summaryOf);
}

/** The namespace of each of these jobs that has a spec. */
export async function namespacesOf(q: Queryable, jobIds: readonly string[]): Promise<Map<string, string>> {
  const res = await q.query<{ job_id: string; namespace: string }>(`select job_id, spec->>'namespace' as namespace from job_specs where job_id = any($1)`, [[...jobIds]]);
  return new Map(res.rows.map((r) => [r.job_id, r.namespace]));
}

function summaryOf(row: JobRow): JobSummary {
  return {
    jobId: row.job_id,
    version: row.version,
    jobType: row.spec.job_type,
    desiredState: row.spec.state,
    deleted: row.deleted,
    namespace: row.spec.namespace,
    cluster: row.spec.cluster,
    labels: row.spec.labels ?? {},
    state: row.state ?? 'CREATED',
    desiredVersion: row.desired_version,
    deployedVersion: row.deployed_version,
    lastStableVersion: row.last_stable_version,
    flinkJobId: row.flink_job_id,
    flinkVersion: row.flink_version,
    lastError: row.last_error,
    reason: row.reason,
    alert: row.alert ?? false,
    restarts: row.restarts,
    candidate: row.candidate ?? false,
    failedVersion: row.failed_version,
    statusChangedAt: row.changed_at?.toISOString() ?? null,
    updatedAt: row.updated_at.toISOString(),
  };
}
