// Sign-in: paste an FJC API token (fjc token create); a refused one says why.
import { useState } from 'preact/hooks';
import { signInMessage } from '../api/client';
import { signIn, type Session } from '../api/session';

export function SignIn({ message, onSignedIn, onExpired }: { message: string | null; onSignedIn: (s: Session) => void; onExpired: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(message);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(token, onExpired));
    } catch (err) {
      setError(signInMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <h1>FJC console</h1>
      <form onSubmit={submit}>
        <label for="token">API token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          aria-describedby="token-help"
          aria-invalid={error !== null}
          required
        />
        <p id="token-help" class="help">
          An FJC API token (<code>fjc token create</code>). It stays in this browser tab only.
        </p>
        {error !== null && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || token.trim() === ''}>
          Sign in
        </button>
      </form>
    </main>
  );
}
