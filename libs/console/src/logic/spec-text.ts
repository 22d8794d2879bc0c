// A spec as text: YAML with keys in the canonical (sorted) order the server hashes in, the form
// the console shows, diffs and pre-fills the editor with. Pure.
import { stringify } from 'yaml';
import { canonicalJson } from '@fjc/contracts';

export function canonicalSpecText(spec: unknown): string {
  return stringify(JSON.parse(canonicalJson(spec)), { lineWidth: 0 });
}
