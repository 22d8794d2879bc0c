// Small pieces the pages share: state badges, times, error notes and the confirm dialog.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';

export function StateBadge({ state, alert }: { state: string; alert?: boolean }) {
  return (
    <span class={`state state-${state.toLowerCase()}${alert ? ' alert' : ''}`} data-state={state}>
      {state}
    </span>
  );
}

export function When({ at }: { at: string | null }) {
  if (at === null) return <span class="muted">—</span>;
  return <time dateTime={at}>{new Date(at).toLocaleString()}</time>;
}

export function ErrorNote({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const lines = error instanceof ApiError && error.errors.length > 0 ? error.errors.map((e) => `${e.code}: ${e.path ? `${e.path}: ` : ''}${e.message}`) : [String(error)];
  return (
    <div role="alert" class="error">
      {lines.map((l) => (
        <p key={l}>{l}</p>
      ))}
    </div>
  );
}

/**
 * A confirm step before any change: a native modal <dialog> (focus moves in, Escape cancels),
 * with an optional reason recorded in the event. `run` does the change; its refusal stays shown.
 */
export function ConfirmDialog(props: {
  title: string;
  confirmLabel: string;
  children: ComponentChildren;
  withReason?: boolean;
  run: (reason: string | undefined) => Promise<void>;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  const confirm = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.run(reason.trim() || undefined);
      ref.current?.close();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} onClose={props.onClose} aria-labelledby="confirm-title">
      <form method="dialog" onSubmit={confirm}>
        <h2 id="confirm-title">{props.title}</h2>
        {props.children}
        {props.withReason && (
          <label>
            Reason (recorded with the change)
            <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} maxLength={500} />
          </label>
        )}
        <ErrorNote error={error} />
        <div class="buttons">
          <button type="button" onClick={() => ref.current?.close()}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {props.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
