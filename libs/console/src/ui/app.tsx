// The console's shell: sign-in until a token is accepted, then the header and the page the URL
// fragment names.
import { useEffect, useState } from 'preact/hooks';
import { signInMessage } from '../api/client';
import { signIn, signOut, storedToken, type Session } from '../api/session';
import { describeGrants, mayApplySomewhere } from '../logic/roles';
import { hrefOf, parseRoute, type Route } from '../logic/route';
import { ApplyPage } from './apply-page';
import { JobPage } from './job-page';
import { JobsPage } from './jobs-page';
import { SignIn } from './sign-in';

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session | null>(null);
  const [restoring, setRestoring] = useState(() => storedToken() !== null);
  const [message, setMessage] = useState<string | null>(null);

  const expired = () => {
    signOut();
    setSession(null);
    setMessage('Your token is no longer accepted (revoked or expired): sign in again.');
  };

  useEffect(() => {
    const token = storedToken();
    if (token === null) return;
    signIn(token, expired)
      .then(setSession)
      .catch((err: unknown) => {
        signOut();
        setMessage(signInMessage(err));
      })
      .finally(() => setRestoring(false));
  }, []);

  if (restoring) return <p class="loading">Signing in…</p>;
  if (session === null) return <SignIn message={message} onExpired={expired} onSignedIn={setSession} />;

  const who = session.me.name ?? session.me.subject;
  return (
    <>
      <header class="top">
        <a class="brand" href={hrefOf({ page: 'jobs' })}>
          FJC
        </a>
        <nav aria-label="Main">
          <a href={hrefOf({ page: 'jobs' })} aria-current={route.page === 'jobs' ? 'page' : undefined}>
            Jobs
          </a>
          {mayApplySomewhere(session.me.grants) && (
            <a href={hrefOf({ page: 'apply', jobId: null })} aria-current={route.page === 'apply' ? 'page' : undefined}>
              Apply a spec
            </a>
          )}
        </nav>
        <span class="who" title={describeGrants(session.me.grants)}>
          {who} · {describeGrants(session.me.grants)}
        </span>
        <button
          type="button"
          onClick={() => {
            signOut();
            setSession(null);
            setMessage(null);
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        {route.page === 'jobs' && <JobsPage session={session} />}
        {route.page === 'job' && <JobPage key={route.jobId} session={session} jobId={route.jobId} />}
        {route.page === 'apply' && <ApplyPage key={route.jobId ?? ''} session={session} jobId={route.jobId} />}
      </main>
    </>
  );
}
