// The changes between two specs, field by field (the contracts' specChanges, as `fjc diff`
// prints them): a table with the old and new value of each changed field.
import type { SpecChange } from '@fjc/contracts';

const shown = (value: unknown) => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

export function SpecDiff({ changes, label }: { changes: readonly SpecChange[]; label: string }) {
  if (changes.length === 0) return <p class="muted">No differences.</p>;
  return (
    <table class="diff" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">From</th>
          <th scope="col">To</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.path} class={`diff-${c.change}`}>
            <th scope="row">
              <code>{c.path}</code> <span class="muted">({c.change})</span>
            </th>
            <td>
              <code>{shown(c.old)}</code>
            </td>
            <td>
              <code>{shown(c.new)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
