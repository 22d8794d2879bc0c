// What a change from one spec version to another needs, read from the field-effects table:
// the strongest need of any changed field wins. `state` is left out on purpose: it is the
// desired lifecycle, which the reconciler compares with the observed one on every pass
// (suspend, resume), not a change of the job's content. So two specs that differ only in
// state classify as 'none', while their hashes differ.
import { canonicalJson } from '../spec/canonical';
import type { JobSpec } from '../spec/job-spec';
import { FIELD_EFFECTS, type FieldChange } from './field-effects';

export const SPEC_CHANGE_KINDS = ['none', 'metadata-only', 'rescale', 'redeploy'] as const;
export type SpecChangeKind = (typeof SPEC_CHANGE_KINDS)[number];

const RANK: Readonly<Record<SpecChangeKind, number>> = { none: 0, 'metadata-only': 1, rescale: 2, redeploy: 3 };

/** Paths of the fields whose values differ, in table order. */
export function changedSpecFields(previous: JobSpec, next: JobSpec): string[] {
  return FIELD_EFFECTS.filter((effect) => canonicalJson(specValueAt(previous, effect.path)) !== canonicalJson(specValueAt(next, effect.path))).map(
    (effect) => effect.path,
  );
}

export function classifySpecChange(previous: JobSpec, next: JobSpec): SpecChangeKind {
  let result: SpecChangeKind = 'none';
  for (const path of changedSpecFields(previous, next)) {
    const need = changeKindOf(FIELD_EFFECTS.find((effect) => effect.path === path)?.onChange ?? 'redeploy');
    if (RANK[need] > RANK[result]) result = need;
  }
  return result;
}

function changeKindOf(change: FieldChange): SpecChangeKind {
  return change === 'desired-state' ? 'none' : change;
}

/** The value at a field-effects path ("deployment.parallelism"); undefined where unset. */
export function specValueAt(spec: JobSpec, path: string): unknown {
  let node: unknown = spec;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
