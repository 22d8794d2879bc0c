// fast-check generators of valid spec inputs, built from the VALID_VALUES table, and the
// rewrites that must not change a spec's meaning (key order, written defaults, other units).
import fc from 'fast-check';
import type { z } from 'zod';
import { JobSpecSchema } from '../spec/job-spec';
import { fieldDefault, leafFields, unwrapSchema } from '../spec/schema-walk';
import { formatByteSize, formatDuration } from '../spec/units';
import { VALID_VALUES, batchSpec, streamSpec, withField } from './spec-cases';

export function fieldsFor(jobType: 'stream' | 'batch'): string[] {
  return Object.keys(VALID_VALUES).filter((path) =>
    jobType === 'batch' ? !path.startsWith('stream_config') && path !== 'deployment.upgrade_mode' : !path.startsWith('batch_config'),
  );
}

/** A valid spec as a person might write it: a minimal spec plus some fields from the table. */
export const specInput: fc.Arbitrary<Record<string, unknown>> = fc.constantFrom('stream' as const, 'batch' as const).chain((jobType) =>
  fc
    .subarray(fieldsFor(jobType))
    .chain((paths) => fc.tuple(fc.constant(paths), fc.tuple(...paths.map((path) => fc.constantFrom(...(VALID_VALUES[path] ?? []))))))
    .map(([paths, values]) =>
      paths.reduce((spec, path, i) => withField(spec, path, values[i]), jobType === 'batch' ? batchSpec() : streamSpec()),
    ),
);

/** The same value with the keys of every object in another order. */
export function shuffleKeys(value: unknown, seed: number): unknown {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state;
  };
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (typeof node !== 'object' || node === null) return node;
    const entries = Object.entries(node);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [entries[i], entries[j]] = [entries[j], entries[i]];
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, visit(v)]));
  };
  return visit(value);
}

/** Leaf fields of the spec variant with their defaults as a person writes them ("60s"). */
export function defaultsOf(jobType: string): { path: string; value: unknown }[] {
  const variant = JobSpecSchema.options.find((o) => o.shape.job_type.value === jobType);
  if (variant === undefined) return [];
  return leafFields(variant)
    .filter((leaf) => !underOptionalGroup(variant, leaf.path))
    .map((leaf) => ({ path: leaf.path, value: fieldDefault(leaf.schema) }))
    .filter((d) => d.value !== undefined);
}

/** A default inside an optional group (stream_config.sla) applies only once the group is written:
 *  writing it alone would switch the group on. */
function underOptionalGroup(variant: z.ZodType, path: string): boolean {
  let node: z.ZodType = variant;
  for (const key of path.split('.').slice(0, -1)) {
    const { inner } = unwrapSchema(node);
    const field = (inner as unknown as { shape?: Record<string, z.ZodType> }).shape?.[key];
    if (field === undefined) return false;
    if (field.def.type === 'optional') return true;
    node = field;
  }
  return false;
}

function has(spec: Record<string, unknown>, path: string): boolean {
  let node: unknown = spec;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

/** Writes out some of the defaults the spec leaves to the schema (picked by `mask`). */
export function writeDefaults(spec: Record<string, unknown>, mask: readonly boolean[]): Record<string, unknown> {
  return defaultsOf(String(spec.job_type))
    .filter((d, i) => mask[i % Math.max(mask.length, 1)] === true && !has(spec, d.path))
    .reduce((acc, d) => withField(acc, d.path, structuredClone(d.value)), spec);
}

/** Leaf paths whose values are durations or memory sizes, by their field kind. */
export function unitFields(): { path: string; kind: 'duration' | 'size' }[] {
  const seen = new Map<string, 'duration' | 'size'>();
  for (const variant of JobSpecSchema.options) {
    for (const leaf of leafFields(variant as z.ZodType)) {
      const kind = unwrapSchema(leaf.schema).kind ?? '';
      if (kind.startsWith('duration')) seen.set(leaf.path, 'duration');
      if (kind.startsWith('memory size')) seen.set(leaf.path, 'size');
    }
  }
  return [...seen].map(([path, kind]) => ({ path, kind }));
}

/** Other ways of writing the same duration (ms) or size (bytes). */
export function spellings(kind: 'duration' | 'size', amount: number): unknown[] {
  if (kind === 'duration') {
    const out: unknown[] = [amount, `${amount}ms`, `${amount} ms`, formatDuration(amount)];
    if (amount % 60_000 === 0) out.push(`${amount / 60_000}min`);
    return out;
  }
  const out: unknown[] = [amount, `${amount}b`, formatByteSize(amount)];
  if (amount % 1024 ** 2 === 0) out.push(`${amount / 1024 ** 2}mb`, `${amount / 1024 ** 2}MiB`);
  return out;
}
