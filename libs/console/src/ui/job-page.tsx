// One job: status, its Flink job (with a link to the cluster's Flink UI when published),
// versions with a diff between any two, savepoints, the event timeline and exceptions, and the
// actions the caller's role allows, each confirmed in a dialog.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ChangeResponseSchema, RollbackResponseSchema, SavepointResponseSchema, specChanges } from '@fjc/contracts';
import { followJob, loadJobDetail, type JobDetail } from '../api/live';
import type { Session } from '../api/session';
import { allowedActions, type JobAction } from '../logic/roles';
import { hrefOf } from '../logic/route';
import { timelineOf } from '../logic/timeline';
import { ConfirmDialog, ErrorNote, StateBadge, When } from './parts';
import { SpecDiff } from './spec-diff';

type Pending = { action: Exclude<JobAction, 'apply'>; toVersion?: number } | null;

export function JobPage({ session, jobId }: { session: Session; jobId: string }) {
  const [detail, setDetail] = useState<JobDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(
    () =>
      followJob(
        session.client,
        jobId,
        (d) => {
          setDetail(d);
          setError(null);
        },
        setError,
      ),
    [session, jobId],
  );

  if (detail === null) {
    return (
      <section>
        <h1>{jobId}</h1>
        {error === null ? <p class="loading">Loading…</p> : <ErrorNote error={error} />}
      </section>
    );
  }
  const { job } = detail;
  const allowed = job.deleted ? new Set<JobAction>() : allowedActions(session.me.grants, { namespace: job.spec.namespace, cluster: job.spec.cluster });
  const at = `/jobs/${encodeURIComponent(jobId)}`;
  const refresh = async (message: string) => {
    setNotice(message);
    setDetail(await loadJobDetail(session.client, jobId));
  };

  return (
    <section aria-labelledby="job-title">
      <p>
        <a href={hrefOf({ page: 'jobs' })}>← Jobs</a>
      </p>
      <h1 id="job-title">
        {job.jobId} <StateBadge state={job.state} alert={job.alert} />
      </h1>
      <ErrorNote error={error} />
      {notice !== null && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
      <div class="actions" role="group" aria-label="Actions">
        {allowed.has('suspend') && job.desiredState === 'running' && (
          <button type="button" onClick={() => setPending({ action: 'suspend' })}>
            Suspend
          </button>
        )}
        {allowed.has('resume') && job.desiredState === 'suspended' && (
          <button type="button" onClick={() => setPending({ action: 'resume' })}>
            Resume
          </button>
        )}
        {allowed.has('savepoint') && (
          <button type="button" onClick={() => setPending({ action: 'savepoint' })}>
            Take savepoint
          </button>
        )}
        {allowed.has('apply') && (
          <a class="button" href={hrefOf({ page: 'apply', jobId })}>
            Edit and apply
          </a>
        )}
        {allowed.has('delete') && (
          <button type="button" class="danger" onClick={() => setPending({ action: 'delete' })}>
            Delete
          </button>
        )}
      </div>

      <Status detail={detail} flinkUi={session.me.clusterUiUrls[job.spec.cluster] ?? null} />
      <Versions detail={detail} mayRollback={allowed.has('rollback')} onRollback={(v) => setPending({ action: 'rollback', toVersion: v })} />
      <Savepoints detail={detail} />
      <Exceptions detail={detail} />
      <Timeline detail={detail} />

      {pending !== null && (
        <ConfirmDialog
          title={pending.action === 'rollback' ? `Roll back ${jobId} to version ${pending.toVersion}?` : `${label(pending.action)} ${jobId}?`}
          confirmLabel={pending.action === 'rollback' ? `Roll back to version ${pending.toVersion}` : label(pending.action)}
          withReason={pending.action === 'suspend' || pending.action === 'resume' || pending.action === 'delete'}
          onClose={() => setPending(null)}
          run={async (reason) => {
            const body = reason === undefined ? {} : { reason };
            const ifMatch = job.version;
            if (pending.action === 'rollback') {
              const r = await session.client.send('POST', `${at}/rollback`, RollbackResponseSchema, { body: { toVersion: pending.toVersion }, ifMatch });
              await refresh(`Rolled back: version ${r.version}${r.warnings.length ? `; ${r.warnings.map((w) => w.message).join('; ')}` : ''}`);
            } else if (pending.action === 'savepoint') {
              const r = await session.client.send('POST', `${at}/savepoints`, SavepointResponseSchema, { body: {} });
              await refresh(`Savepoint requested (${r.requestId})`);
            } else if (pending.action === 'delete') {
              await session.client.send('DELETE', at, ChangeResponseSchema, { body, ifMatch });
              await refresh('Deletion recorded');
            } else {
              const r = await session.client.send('POST', `${at}/${pending.action}`, ChangeResponseSchema, { body, ifMatch });
              await refresh(r.changed ? `${label(pending.action)}: version ${r.version}` : `Nothing to change (version ${r.version})`);
            }
          }}
        >
          <p>{consequence(pending.action)}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

const label = (a: string) => ({ suspend: 'Suspend', resume: 'Resume', savepoint: 'Take savepoint', delete: 'Delete', rollback: 'Roll back' })[a] ?? a;

function consequence(action: string): string {
  switch (action) {
    case 'suspend':
      return 'FJC stops the Flink job with a savepoint; resume starts it from there.';
    case 'resume':
      return 'FJC starts the job again from its latest savepoint.';
    case 'savepoint':
      return 'Flink takes a savepoint of the running job now.';
    case 'delete':
      return 'FJC cancels the Flink job and ends the job. Applying its spec again creates it anew.';
    default:
      return 'A new version with the older version’s spec; history is kept. FJC redeploys it from that version’s state.';
  }
}

function Status({ detail, flinkUi }: { detail: JobDetail; flinkUi: string | null }) {
  const { job } = detail;
  return (
    <section aria-labelledby="status-title">
      <h2 id="status-title">Status</h2>
      <dl class="facts">
        <dt>State</dt>
        <dd>
          {job.state}
          {job.reason ? ` — ${job.reason}` : ''}
        </dd>
        <dt>Desired</dt>
        <dd>{job.desiredState}</dd>
        <dt>Namespace / cluster</dt>
        <dd>
          {job.spec.namespace} / {job.spec.cluster}
        </dd>
        <dt>Version</dt>
        <dd>
          {job.version} (deployed {job.deployedVersion ?? '—'}, last stable {job.lastStableVersion ?? '—'}
          {job.failedVersion !== null ? `, failed ${job.failedVersion}` : ''}
          {job.candidate ? ', candidate' : ''})
        </dd>
        <dt>Flink job</dt>
        <dd>
          {job.flinkJobId === null ? (
            '—'
          ) : flinkUi !== null ? (
            <a href={`${flinkUi}/#/job/running/${job.flinkJobId}/overview`} target="_blank" rel="noopener noreferrer">
              <code>{job.flinkJobId}</code> in Flink’s UI
            </a>
          ) : (
            <code>{job.flinkJobId}</code>
          )}
          {job.flinkVersion !== null ? ` (Flink ${job.flinkVersion})` : ''}
          {job.restarts !== null ? `, ${job.restarts} restarts` : ''}
        </dd>
        {job.lastError !== null && (
          <>
            <dt>Last error</dt>
            <dd class="error-text">
              {job.lastError.code}: {job.lastError.message}
            </dd>
          </>
        )}
        <dt>Changed</dt>
        <dd>
          <When at={job.statusChangedAt ?? job.updatedAt} />
        </dd>
      </dl>
    </section>
  );
}

function Versions({ detail, mayRollback, onRollback }: { detail: JobDetail; mayRollback: boolean; onRollback: (v: number) => void }) {
  const versions = detail.versions;
  const latest = versions[versions.length - 1]?.version ?? 1;
  const [from, setFrom] = useState(Math.max(1, latest - 1));
  const [to, setTo] = useState(latest);
  const changes = useMemo(() => {
    const a = versions.find((v) => v.version === from);
    const b = versions.find((v) => v.version === to);
    return a && b ? specChanges(a.spec, b.spec) : [];
  }, [versions, from, to]);
  const choose = (value: number, set: (v: number) => void) => (
    <select value={String(value)} onChange={(e) => set(Number(e.currentTarget.value))}>
      {versions.map((v) => (
        <option key={v.version} value={String(v.version)}>
          version {v.version}
        </option>
      ))}
    </select>
  );
  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Made by</th>
            <th scope="col">Who</th>
            <th scope="col">When</th>
            <th scope="col">Hash</th>
            {mayRollback && <th scope="col">Roll back</th>}
          </tr>
        </thead>
        <tbody>
          {[...versions].reverse().map((v) => (
            <tr key={v.version} data-version={v.version}>
              <th scope="row">{v.version}</th>
              <td>
                {v.type}
                {v.rolledBackTo !== undefined ? ` (to ${v.rolledBackTo})` : ''}
              </td>
              <td>{v.actor.name ?? v.actor.subject ?? v.actor.id}</td>
              <td>
                <When at={v.occurredAt} />
              </td>
              <td>
                <code>{v.specHash.slice(7, 19)}</code>
              </td>
              {mayRollback && (
                <td>
                  {v.version !== latest && (
                    <button type="button" onClick={() => onRollback(v.version)}>
                      Roll back to {v.version}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {versions.length > 1 && (
        <div class="compare">
          <h3>Compare</h3>
          <label>From {choose(from, setFrom)}</label> <label>To {choose(to, setTo)}</label>
          <SpecDiff changes={changes} label={`Changes from version ${from} to version ${to}`} />
        </div>
      )}
    </section>
  );
}

function Savepoints({ detail }: { detail: JobDetail }) {
  return (
    <section aria-labelledby="savepoints-title">
      <h2 id="savepoints-title">Savepoints</h2>
      {detail.savepoints.length === 0 ? (
        <p class="muted">None recorded.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Taken</th>
              <th scope="col">Version</th>
              <th scope="col">Origin</th>
              <th scope="col">Path</th>
            </tr>
          </thead>
          <tbody>
            {detail.savepoints.map((s) => (
              <tr key={s.path} class={s.disposedAt ? 'muted' : ''}>
                <td>
                  <When at={s.takenAt} />
                </td>
                <td>{s.version}</td>
                <td>{s.origin}</td>
                <td>
                  <code>{s.path}</code>
                  {s.disposedAt ? ' (disposed)' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Exceptions({ detail }: { detail: JobDetail }) {
  return (
    <section aria-labelledby="exceptions-title">
      <h2 id="exceptions-title">Exceptions</h2>
      {detail.exceptions.length === 0 ? (
        <p class="muted">Flink reported none.</p>
      ) : (
        <ul class="exceptions">
          {detail.exceptions.map((x) => (
            <li key={x.exceptionId}>
              <When at={x.timestamp} /> <strong>{x.rootCause.name}</strong>: {x.rootCause.message}
              <span class="muted">
                {' '}
                (version {x.version ?? '?'}
                {x.taskName ? `, ${x.taskName}` : ''}
                {x.location ? ` @ ${x.location}` : ''})
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Timeline({ detail }: { detail: JobDetail }) {
  const rows = useMemo(() => timelineOf(detail.events), [detail.events]);
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <table class="timeline">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Actor</th>
            <th scope="col">What</th>
            <th scope="col">Trace</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.position} data-type={r.type}>
              <td>{r.position}</td>
              <td>
                <When at={r.occurredAt} />
              </td>
              <td>{r.type}</td>
              <td>{r.actor}</td>
              <td>{r.summary}</td>
              <td>
                <code title={`correlation ${r.correlationId}`}>{r.traceId ?? '—'}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
