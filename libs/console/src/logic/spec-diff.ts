// The diff of two job specs, line by line over their canonical YAML (keys sorted, as the server
// hashes them), so only real changes show. Pure; jsdiff does the diffing.
import { diffLines } from 'diff';
import { canonicalSpecText } from './spec-text';

export interface DiffLine {
  readonly kind: 'added' | 'removed' | 'same';
  readonly text: string;
}

export function diffTexts(before: string, after: string): DiffLine[] {
  return diffLines(before, after).flatMap((part) => {
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
    return part.value.replace(/\n$/, '').split('\n').map((text) => ({ kind, text }));
  });
}

/** `before` null: nothing yet (a new job), so every line is added. */
export function diffSpecs(before: unknown, after: unknown): DiffLine[] {
  return diffTexts(before === null ? '' : canonicalSpecText(before), canonicalSpecText(after));
}

export function hasChanges(lines: readonly DiffLine[]): boolean {
  return lines.some((l) => l.kind !== 'same');
}
