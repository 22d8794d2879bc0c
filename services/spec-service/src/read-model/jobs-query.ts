// Reading jobs for the API: the current spec (job_specs) joined with the lifecycle status
// (job_status). A job the reconciler has not reported on yet is CREATED. jsonb keeps its own
// key order, so specs are put back in canonical (sorted) order.
import { canonicalSpec, type ErrorInfo, type JobSpec, type LabelRequirement, type LifecycleState } from '@fjc/contracts';
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

export interface JobsPageQuery {
  /** Only jobs whose id sorts after this one (keyset paging). */
  readonly afterJobId: string | null;
  /** Rows to read: the page size plus one, to learn whether another page follows. */
  readonly limit: number;
  /** Only jobs in these namespaces; null: every namespace. */
  readonly namespaces: readonly string[] | null;
  /** Only jobs in these lifecycle states (CREATED for a job the reconciler has not reported on). */
  readonly states: readonly string[] | null;
  readonly labels: readonly LabelRequirement[];
  /** Text the job id contains. */
  readonly text: string | null;
  readonly includeDeleted: boolean;
}

/**
 * A page of jobs by id. Only the conditions asked for are in the SQL, so the planner can walk
 * the primary key (or the namespace or state index, migration 1771500000000) in job id order and
 * stop after `limit` rows: a page costs the same however many jobs there are.
 */
export async function listJobsPage(q: Queryable, query: JobsPageQuery): Promise<JobSummary[]> {
  const values: unknown[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  const where: string[] = [];
  if (query.afterJobId !== null) where.push(`s.job_id > ${param(query.afterJobId)}`);
  if (!query.includeDeleted) where.push('not s.deleted');
  // One value is written with "=": PostgreSQL 15 reads a btree in order for it, not for "= any(...)".
  const oneOf = (list: readonly string[]) => (list.length === 1 ? `= ${param(list[0])}::text` : `= any(${param([...list])}::text[])`);
  if (query.namespaces !== null) where.push(`s.spec->>'namespace' ${oneOf(query.namespaces)}`);
  // Without CREATED (no status row yet) the condition is on job_status alone, so its state index serves it.
  if (query.states !== null) {
    where.push(`${query.states.includes('CREATED') ? `coalesce(st.state, 'CREATED')` : 'st.state'} ${oneOf(query.states)}`);
  }
  if (query.text !== null) where.push(`strpos(s.job_id, ${param(query.text.toLowerCase())}) > 0`);
  for (const r of query.labels) where.push(labelCondition(r, param));
  const res = await q.query<JobRow>(`${SELECT} ${where.length ? `where ${where.join(' and ')}` : ''} order by s.job_id limit ${param(query.limit)}`, values);
  return res.rows.map(summaryOf);
}

/** Kubernetes semantics: != and notin also match jobs without the label. The positive forms are
 *  written with ? and @> on spec->'labels', which its GIN index serves. */
function labelCondition(r: LabelRequirement, param: (value: unknown) => string): string {
  const labels = `(s.spec->'labels')`;
  const key = param(r.key);
  const contains = (values: readonly string[]) => `(${values.map((v) => `${labels} @> jsonb_build_object(${key}::text, ${param(v)}::text)`).join(' or ')})`;
  switch (r.op) {
    case 'exists':
      return `${labels} ? ${key}`;
    case 'notExists':
      return `not coalesce(${labels} ? ${key}, false)`;
    case 'in':
      return contains(r.values);
    case 'notIn':
      return `not coalesce(${contains(r.values)}, false)`;
  }
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
