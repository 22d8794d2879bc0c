// The jobs page: every job the caller may see, with where it runs and its live state, filtered
// by namespace, state and text.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { followJobs } from '../api/live';
import type { Session } from '../api/session';
import { choicesOf, filterJobs, NO_FILTER, type JobFilter, type ListedJob } from '../logic/filters';
import { hrefOf } from '../logic/route';
import { ErrorNote, StateBadge, When } from './parts';

export function JobsPage({ session }: { session: Session }) {
  const [jobs, setJobs] = useState<ListedJob[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [filter, setFilter] = useState<JobFilter>(NO_FILTER);

  useEffect(
    () =>
      followJobs(
        session.client,
        (j) => {
          setJobs(j);
          setError(null);
        },
        setError,
      ),
    [session],
  );

  const shown = useMemo(() => filterJobs(jobs ?? [], filter), [jobs, filter]);
  const set = (change: Partial<JobFilter>) => setFilter({ ...filter, ...change });

  return (
    <section aria-labelledby="jobs-title">
      <h1 id="jobs-title">Jobs</h1>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Namespace
          <select value={filter.namespace} onChange={(e) => set({ namespace: e.currentTarget.value })}>
            <option value="">all</option>
            {choicesOf(jobs ?? [], 'namespace').map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          State
          <select value={filter.state} onChange={(e) => set({ state: e.currentTarget.value })}>
            <option value="">all</option>
            {choicesOf(jobs ?? [], 'state').map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search
          <input type="search" value={filter.text} placeholder="job, namespace or cluster" onInput={(e) => set({ text: e.currentTarget.value })} />
        </label>
      </form>
      <ErrorNote error={error} />
      {jobs === null ? (
        <p class="loading">Loading…</p>
      ) : (
        <table class="jobs">
          <caption>
            {shown.length} of {jobs.length} jobs
          </caption>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Namespace</th>
              <th scope="col">Cluster</th>
              <th scope="col">State</th>
              <th scope="col">Version</th>
              <th scope="col">Flink job</th>
              <th scope="col">Changed</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((j) => (
              <tr key={j.jobId} data-job={j.jobId}>
                <th scope="row">
                  <a href={hrefOf({ page: 'job', jobId: j.jobId })}>{j.jobId}</a>
                </th>
                <td>{j.namespace}</td>
                <td>{j.cluster}</td>
                <td>
                  <StateBadge state={j.state} alert={j.alert} />
                  {j.desiredState === 'suspended' && <span class="muted"> (suspended)</span>}
                </td>
                <td>{j.version}</td>
                <td>
                  <code>{j.flinkJobId ?? '—'}</code>
                </td>
                <td>
                  <When at={j.statusChangedAt ?? j.updatedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
