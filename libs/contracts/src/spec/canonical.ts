// The canonical form of a spec and its hash. A parsed spec already has defaults applied and
// durations and sizes in one unit; writing it as JSON with keys sorted at every depth makes
// specs equal in meaning equal byte for byte, whatever their key order, format or elided
// defaults. Lists keep their order: program arguments are positional.
import { createHash } from 'node:crypto';
import type { JobSpec } from './job-spec';

/** JSON with object keys sorted at every depth and undefined fields left out. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** The spec with keys sorted at every depth: what is stored and hashed. */
export function canonicalSpec(spec: JobSpec): JobSpec {
  return sortKeys(spec) as JobSpec;
}

/** "sha256:" and the hex SHA-256 of the canonical JSON of a parsed spec. */
export function specHash(spec: JobSpec): string {
  return `sha256:${createHash('sha256').update(canonicalJson(spec), 'utf8').digest('hex')}`;
}
