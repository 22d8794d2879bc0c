// "Did you mean ...?" for near misses: a typo, a different case, or "-" written for "_".
import { distance } from 'fastest-levenshtein';

const normalize = (word: string): string => word.toLowerCase().replace(/-/g, '_');

/** The candidate closest to `word` when it is close enough to be the likely intent. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const wanted = normalize(word);
  // Short words allow one edit, longer ones a third of their length, so "cron" never suggests "args".
  const allowed = Math.max(1, Math.floor(wanted.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const d = swapsAdjacent(wanted, normalize(candidate)) ? 1 : distance(wanted, normalize(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= allowed ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : `; did you mean "${match}"?`;
}

/** "btach" for "batch": one slip of two neighbouring keys, which Levenshtein counts as two edits. */
function swapsAdjacent(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((ch, i) => (ch === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]];
}
