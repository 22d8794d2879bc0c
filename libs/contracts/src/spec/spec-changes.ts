// What changed from one spec to another, field by field (path, old value, new value): what
// `fjc diff` prints and the web console shows between two versions. Pure; microdiff does the
// walking, paths are written as the spec's own field paths.
import diff from 'microdiff';
import { formatFieldPath } from './field-path';
import type { JobSpec } from './job-spec';

export interface SpecChange {
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly old?: unknown;
  readonly new?: unknown;
}

/** The field-level changes from spec a to spec b, in path order. */
export function specChanges(a: JobSpec, b: JobSpec): SpecChange[] {
  return diff(a as Record<string, unknown>, b as Record<string, unknown>)
    .map((d): SpecChange => {
      const path = formatFieldPath(d.path);
      if (d.type === 'CREATE') return { path, change: 'added', new: d.value };
      if (d.type === 'REMOVE') return { path, change: 'removed', old: d.oldValue };
      return { path, change: 'changed', old: d.oldValue, new: d.value };
    })
    .sort((x, y) => x.path.localeCompare(y.path));
}
