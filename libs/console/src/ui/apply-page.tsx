// Apply a spec: edit it (YAML or JSON), check it as the API will, see the plan (the change class,
// the steps, slots, jar, the field diff against what runs, warnings), then confirm. The job's
// current spec pre-fills the editor when one is named.
import { useEffect, useState } from 'preact/hooks';
import { ApplyResponseSchema, grantsAllow, JobViewSchema, type JobView, type PlanResponse } from '@fjc/contracts';
import { ApiError } from '../api/client';
import { planOf } from '../api/plan';
import type { Session } from '../api/session';
import { hrefOf } from '../logic/route';
import { checkSpecText, describeIssue, type SpecCheck } from '../logic/spec-check';
import { canonicalSpecText } from '../logic/spec-text';
import { ConfirmDialog, ErrorNote } from './parts';

interface Review {
  readonly check: Extract<SpecCheck, { ok: true }>;
  readonly current: JobView | null;
  readonly plan: PlanResponse;
}

export function ApplyPage({ session, jobId }: { session: Session; jobId: string | null }) {
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<readonly string[]>([]);
  const [review, setReview] = useState<Review | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    if (jobId === null) return;
    session.client
      .get(`/jobs/${encodeURIComponent(jobId)}`, JobViewSchema)
      .then((job) => setText(canonicalSpecText(job.spec)))
      .catch(setError);
  }, [session, jobId]);

  const check = async (e: Event) => {
    e.preventDefault();
    setReview(null);
    setError(null);
    const result = checkSpecText(text);
    if (!result.ok) {
      setProblems(result.errors.map(describeIssue));
      return;
    }
    setProblems([]);
    if (!grantsAllow(session.me.grants, 'operator', result.namespace, result.cluster)) {
      setProblems([`You may not apply specs in namespace ${result.namespace} on cluster ${result.cluster} (needs the operator role there).`]);
      return;
    }
    try {
      const current = await currentJob(session, result.jobId);
      const live = current !== null && !current.deleted ? current : null;
      setReview({ check: result, current: live, plan: await planOf(session.client, result.jobId, result.written, live?.version) });
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="apply-title">
      <h1 id="apply-title">Apply a spec{jobId !== null ? ` to ${jobId}` : ''}</h1>
      <form onSubmit={check}>
        <label for="spec">Spec (YAML or JSON, as for fjc apply)</label>
        <textarea
          id="spec"
          rows={22}
          spellcheck={false}
          value={text}
          aria-invalid={problems.length > 0}
          aria-describedby="spec-problems"
          onInput={(e) => {
            setText(e.currentTarget.value);
            setReview(null);
          }}
        />
        <div id="spec-problems" role="alert">
          {problems.length > 0 && (
            <ul class="error">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </div>
        <button type="submit" class="primary">
          Check and plan
        </button>
      </form>
      <ErrorNote error={error} />
      {review !== null && <ReviewPanel review={review} onApply={() => setConfirming(true)} />}
      {confirming && review !== null && (
        <ConfirmDialog
          title={`Apply ${review.check.jobId}?`}
          confirmLabel="Apply"
          onClose={() => setConfirming(false)}
          run={async () => {
            const at = `/jobs/${encodeURIComponent(review.check.jobId)}`;
            await session.client.send('PUT', at, ApplyResponseSchema, {
              body: review.check.written,
              ...(review.current !== null ? { ifMatch: review.current.version } : {}),
            });
            location.hash = hrefOf({ page: 'job', jobId: review.check.jobId });
          }}
        >
          <p>{review.plan.summary}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

async function currentJob(session: Session, jobId: string): Promise<JobView | null> {
  try {
    return await session.client.get(`/jobs/${encodeURIComponent(jobId)}`, JobViewSchema);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

function ReviewPanel({ review, onApply }: { review: Review; onApply: () => void }) {
  const { plan } = review;
  return (
    <section class="review" aria-labelledby="plan-title">
      <h2 id="plan-title">Plan</h2>
      <p role="status">The spec is valid.</p>
      <p>
        Change: <strong data-change-class={plan.changeClass}>{plan.changeClass}</strong> — {plan.summary}
      </p>
      <ol class="steps" aria-label="Steps">
        {plan.steps.map((s, i) => (
          <li key={i}>{s.text}</li>
        ))}
      </ol>
      <p>
        Slots on {plan.slots.cluster}: {plan.slots.needed} needed, {plan.slots.free ?? 'unknown'} free
        {plan.slots.released > 0 ? `, ${plan.slots.released} released first` : ''}. {plan.slots.note}
      </p>
      <p>{plan.jar.note}</p>
      {plan.diff.length > 0 && (
        <table class="diff" aria-label={plan.comparedWith ? `Changes against version ${plan.comparedWith.version}` : 'Changes'}>
          <caption>Changed fields{plan.comparedWith ? ` against the ${plan.comparedWith.as} version ${plan.comparedWith.version}` : ''}</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Needs</th>
            </tr>
          </thead>
          <tbody>
            {plan.diff.map((d) => (
              <tr key={d.path} class="diff-changed">
                <th scope="row">
                  <code>{d.path}</code>
                </th>
                <td>
                  <code>{JSON.stringify(d.old ?? null)}</code>
                </td>
                <td>
                  <code>{JSON.stringify(d.new ?? null)}</code>
                </td>
                <td>{d.effect}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {plan.warnings.length > 0 && (
        <ul class="warnings" aria-label="Warnings">
          {plan.warnings.map((w) => (
            <li key={`${w.code}${w.path}`}>{describeIssue(w)}</li>
          ))}
        </ul>
      )}
      <button type="button" class="primary" onClick={onApply} disabled={!plan.changed}>
        {plan.changed ? 'Apply…' : 'Nothing to apply: the spec equals the current version'}
      </button>
    </section>
  );
}
