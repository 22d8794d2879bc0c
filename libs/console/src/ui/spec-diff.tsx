// A spec diff as lines marked added/removed (by sign and color, so not by color alone).
import type { DiffLine } from '../logic/spec-diff';

export function SpecDiff({ lines, label }: { lines: readonly DiffLine[]; label: string }) {
  if (!lines.some((l) => l.kind !== 'same')) return <p class="muted">No differences.</p>;
  return (
    <pre class="diff" aria-label={label} tabIndex={0}>
      {lines.map((l, i) => (
        <div key={i} class={`diff-${l.kind}`}>
          {l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}
          {l.text}
        </div>
      ))}
    </pre>
  );
}
