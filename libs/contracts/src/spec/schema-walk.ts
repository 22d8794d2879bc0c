// Reading the shape of a zod schema: which fields an object allows at a path, every leaf
// field of the job spec, and a leaf's default and description. Used for "did you mean",
// for the field-effects completeness test and for the generated docs.
import { z } from 'zod';
import type { PathSegment } from './field-path';

/** Field types the docs name by meaning rather than by structure ("duration", not "union"). */
export const fieldKinds = z.registry<{ readonly kind: string }>();

/** The schema inside optional/default/prefault/pipe wrappers, with the first kind label met. */
export function unwrapSchema(schema: z.ZodType): { readonly inner: z.ZodType; readonly kind?: string } {
  let current: z.ZodType = schema;
  let kind = fieldKinds.get(current)?.kind;
  for (;;) {
    let next: z.ZodType | undefined;
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) next = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault) next = current.def.innerType as z.ZodType;
    else if (current instanceof z.ZodPipe) next = current.def.in as z.ZodType;
    if (next === undefined) return { inner: current, kind };
    current = next;
    kind ??= fieldKinds.get(current)?.kind;
  }
}

/** Schemas a value at `path` may be checked against (union members apart); several under an undecided union, none off the schema. */
export function schemasAt(schema: z.ZodType, path: readonly PathSegment[], input: unknown): z.ZodType[] {
  let candidates: { schema: z.ZodType; value: unknown }[] = [{ schema, value: input }];
  const settle = (list: typeof candidates) => list.flatMap((c) => alternatives(c.schema, c.value).map((s) => ({ schema: s, value: c.value })));
  for (const segment of path) {
    candidates = settle(candidates).flatMap(({ schema: s, value }) => {
      const child = childSchema(s, segment);
      return child === undefined ? [] : [{ schema: child, value: valueAt(value, segment) }];
    });
  }
  return settle(candidates).map((c) => c.schema);
}

/** Object schemas a value at `path` may be checked against; several under an undecided union. */
export function objectSchemasAt(schema: z.ZodType, path: readonly PathSegment[], input: unknown): z.ZodObject[] {
  return schemasAt(schema, path, input).flatMap((s) => (s instanceof z.ZodObject ? [s] : []));
}

export type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/** The JSON types the field at `path` takes (empty off the schema): "string" for args[0], "number" for deployment.parallelism. */
export function jsonTypesAt(schema: z.ZodType, path: readonly PathSegment[], input: unknown): Set<JsonType> {
  const types = new Set<JsonType>();
  for (const s of schemasAt(schema, path, input)) for (const t of jsonTypesOf(s)) types.add(t);
  return types;
}

function jsonTypesOf(schema: z.ZodType): JsonType[] {
  const { inner } = unwrapSchema(schema);
  if (inner instanceof z.ZodString) return ['string'];
  if (inner instanceof z.ZodNumber) return ['number'];
  if (inner instanceof z.ZodBoolean) return ['boolean'];
  if (inner instanceof z.ZodObject || inner instanceof z.ZodRecord) return ['object'];
  if (inner instanceof z.ZodArray) return ['array'];
  if (inner instanceof z.ZodNull) return ['null'];
  if (inner instanceof z.ZodEnum) return (inner.options as unknown[]).map(jsonTypeOfValue);
  if (inner instanceof z.ZodLiteral) return [...inner.values].map(jsonTypeOfValue);
  if (inner instanceof z.ZodUnion) return (inner.options as z.ZodType[]).flatMap(jsonTypesOf);
  return [];
}

export function jsonTypeOfValue(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : t === 'bigint' ? 'number' : 'object';
}

/** Keys allowed in the object at `path`. */
export function allowedKeysAt(schema: z.ZodType, path: readonly PathSegment[], input: unknown): string[] {
  const keys = new Set<string>();
  for (const object of objectSchemasAt(schema, path, input)) for (const key of Object.keys(object.shape)) keys.add(key);
  return [...keys];
}

export interface LeafField {
  /** Dotted path, e.g. "deployment.parallelism". */
  readonly path: string;
  /** The field's schema as declared in its object (with its default and description). */
  readonly schema: z.ZodType;
}

/** Every leaf field of an object schema (or a union of them), in declaration order, once each. */
export function leafFields(schema: z.ZodType, prefix = ''): LeafField[] {
  const seen = new Map<string, LeafField>();
  for (const object of alternatives(schema, undefined)) {
    if (!(object instanceof z.ZodObject)) continue;
    for (const [key, field] of Object.entries(object.shape as Record<string, z.ZodType>)) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      const { inner } = unwrapSchema(field);
      const children = inner instanceof z.ZodObject ? leafFields(inner, path) : [{ path, schema: field }];
      for (const leaf of children) if (!seen.has(leaf.path)) seen.set(leaf.path, leaf);
    }
  }
  return [...seen.values()];
}

export function fieldDescription(schema: z.ZodType): string | undefined {
  return z.globalRegistry.get(schema)?.description;
}

/** The default as a person would write it ("60s"), or undefined when the field has none. */
export function fieldDefault(schema: z.ZodType): unknown {
  if (schema instanceof z.ZodPrefault || schema instanceof z.ZodDefault) return schema.def.defaultValue;
  return undefined;
}

/** The shapes a value may take here: union members (picking by discriminator when it can), or itself. */
function alternatives(schema: z.ZodType, value: unknown): z.ZodType[] {
  const { inner } = unwrapSchema(schema);
  if (inner instanceof z.ZodDiscriminatedUnion) {
    const options = inner.options as z.ZodType[];
    const tag = isRecord(value) ? value[inner.def.discriminator] : undefined;
    const matching = options.filter((o) => o instanceof z.ZodObject && discriminatorValue(o, inner.def.discriminator) === tag);
    return matching.length > 0 ? matching : options;
  }
  if (inner instanceof z.ZodUnion) return (inner.options as z.ZodType[]).flatMap((o) => alternatives(o, value));
  return [inner];
}

function discriminatorValue(object: z.ZodObject, key: string): unknown {
  const field = (object.shape as Record<string, z.ZodType>)[key];
  const { inner } = field ? unwrapSchema(field) : { inner: undefined };
  return inner instanceof z.ZodLiteral ? inner.value : undefined;
}

function childSchema(schema: z.ZodType, segment: PathSegment): z.ZodType | undefined {
  if (schema instanceof z.ZodObject) return (schema.shape as Record<string, z.ZodType>)[String(segment)];
  if (schema instanceof z.ZodRecord) return schema.valueType as z.ZodType;
  if (schema instanceof z.ZodArray) return schema.element as z.ZodType;
  return undefined;
}

function valueAt(value: unknown, segment: PathSegment): unknown {
  if (Array.isArray(value) && typeof segment === 'number') return value[segment];
  return isRecord(value) ? value[String(segment)] : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
