// Rendering a job spec from a template, pure. The caller loads the template chain (root first:
// the template a job names, preceded by what it extends) and gets back an ordinary spec value,
// which then goes through validateSpec like any other.
//
// Merging (parent under child, template under job): mappings merge key by key, recursively;
// a list or a scalar replaces the one below it whole; `null` removes the key. A child's
// parameter definition replaces the parent's of the same name whole.
import { describeValue } from '../spec/describe-value';
import type { PathSegment } from '../spec/field-path';
import { JobSpecSchema } from '../spec/job-spec';
import { isRecord, jsonTypeOfValue, jsonTypesAt } from '../spec/schema-walk';
import type { SpecError } from '../spec/spec-error';
import { JobTemplateSchema, parseTemplateRef, type JobTemplate, type TemplateParameter, type TemplateUse } from './job-template';

export type Rendered<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: SpecError[] };

/** The longest chain of `extends` followed: a cycle cannot be recorded (parents are pinned to older versions), this bounds a deep one. */
export const MAX_TEMPLATE_DEPTH = 10;

const PLACEHOLDER = /\$\{params\.([a-z_][a-z0-9_]*)\}/g;
const WHOLE_PLACEHOLDER = /^\$\{params\.([a-z_][a-z0-9_]*)\}$/;

/** `over` merged onto `base` (see the header). */
export function mergeValues(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isRecord(base) || !isRecord(over)) return over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) delete merged[key];
    else merged[key] = mergeValues(base[key], value);
  }
  return merged;
}

export interface ResolvedTemplate {
  readonly parameters: Readonly<Record<string, TemplateParameter>>;
  readonly spec: Record<string, unknown>;
}

/** The chain (root first) folded into one template. */
export function resolveChain(chain: readonly JobTemplate[]): ResolvedTemplate {
  return chain.reduce<ResolvedTemplate>(
    (acc, t) => ({ parameters: { ...acc.parameters, ...t.parameters }, spec: mergeValues(acc.spec, t.spec) as Record<string, unknown> }),
    { parameters: {}, spec: {} },
  );
}

/** Parses a template document; errors name the field (`parameters.parallelism.type`). */
export function parseJobTemplate(input: unknown): Rendered<JobTemplate> {
  const parsed = JobTemplateSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: 'FJC_TEMPLATE_INVALID' as const, message: i.message })) };
  }
  return { ok: true, value: parsed.data };
}

/**
 * The rules a template version must meet to be recorded, given its parent's resolved form (null
 * without `extends`): every placeholder names a declared parameter, constraints are consistent,
 * defaults meet them, and the template names no job_id (that is each job's own).
 */
export function templateErrors(template: JobTemplate, parent: ResolvedTemplate | null): SpecError[] {
  const errors: SpecError[] = [];
  const invalid = (path: string, message: string) => errors.push({ path, code: 'FJC_TEMPLATE_INVALID', message });
  if (template.extends !== undefined && parseTemplateRef(template.extends)?.name === template.name) invalid('extends', 'a template cannot extend itself');
  if ('job_id' in template.spec) invalid('spec.job_id', 'is each job\'s own; a template cannot set it');
  for (const [name, p] of Object.entries(template.parameters)) {
    if (p.pattern !== undefined) {
      try {
        new RegExp(p.pattern, 'u');
      } catch (err) {
        invalid(`parameters.${name}.pattern`, `is not a valid regular expression: ${(err as Error).message}`);
      }
      if (p.type !== 'string') invalid(`parameters.${name}.pattern`, `applies to string parameters only, this one is ${p.type}`);
    }
    if ((p.min !== undefined || p.max !== undefined) && p.type !== 'integer' && p.type !== 'number') {
      invalid(`parameters.${name}`, `min and max apply to integer and number parameters only, this one is ${p.type}`);
    }
    if (p.min !== undefined && p.max !== undefined && p.min > p.max) invalid(`parameters.${name}.min`, `is ${p.min}, above max ${p.max}`);
    if (p.enum !== undefined) {
      p.enum.forEach((v, i) => {
        const problem = valueProblem(p, v, false);
        if (problem) invalid(`parameters.${name}.enum[${i}]`, problem);
      });
    }
    if (p.default !== undefined) {
      const problem = valueProblem(p, p.default, true);
      if (problem) invalid(`parameters.${name}.default`, problem);
    }
  }
  const declared = { ...(parent?.parameters ?? {}), ...template.parameters };
  for (const { path, name } of placeholders(template.spec, 'spec')) {
    if (!(name in declared)) invalid(path, `uses \${params.${name}}, which is not a parameter of this template${parent ? ' or the one it extends' : ''}`);
  }
  return errors;
}

/** Splits a job document that names a template into its use; null when it names none. */
export function templateUseOf(document: unknown): Rendered<{ name: string; version: number; params: Record<string, unknown>; fields: Record<string, unknown> }> | null {
  if (!isRecord(document) || !('template' in document)) return null;
  const { template, params, ...fields } = document;
  const errors: SpecError[] = [];
  const ref = typeof template === 'string' ? parseTemplateRef(template) : null;
  if (ref === null) errors.push({ path: 'template', code: 'FJC_TEMPLATE_INVALID', message: `must be NAME@VERSION, e.g. stream-base@2, got ${describeValue(template)}` });
  if (params !== undefined && !isRecord(params)) errors.push({ path: 'params', code: 'FJC_TEMPLATE_INVALID', message: `must be a mapping of parameter names to values, got ${describeValue(params)}` });
  if (errors.length > 0 || ref === null) return { ok: false, errors };
  return { ok: true, value: { ...ref, params: isRecord(params) ? params : {}, fields } };
}

/**
 * The spec value of a template use: parameters checked (errors at `params.NAME`), placeholders
 * replaced, the job's own fields merged over the result. Not yet validated as a spec.
 */
export function renderTemplateUse(use: TemplateUse, chain: readonly JobTemplate[]): Rendered<Record<string, unknown>> {
  const resolved = resolveChain(chain);
  const values = parameterValues(resolved.parameters, use.params, `${use.name}@${use.version}`);
  if (!values.ok) return values;
  const spec = substitute(resolved.spec, values.value) as Record<string, unknown>;
  const merged = mergeValues(spec, use.fields) as Record<string, unknown>;
  // A value that is only ${params.x} keeps the parameter's type where the spec's field takes that
  // type (parallelism: 2), and is its text where the field takes text but not that type
  // (args: ["--rate", "50"]); the field is read from the job spec's schema at that path, for the
  // job type of the merged document. Anything else is left for validation to report.
  let asText = false;
  for (const { path, name } of wholeReferences(resolved.spec, [])) {
    const value = values.value[name];
    if (typeof value !== 'number' && typeof value !== 'boolean') continue;
    const takes = jsonTypesAt(JobSpecSchema, path, merged);
    if (takes.has('string') && !takes.has(jsonTypeOfValue(value))) {
      setAt(spec, path, String(value));
      asText = true;
    }
  }
  return { ok: true, value: asText ? (mergeValues(spec, use.fields) as Record<string, unknown>) : merged };
}

/** Where the spec holds a value that is only `${params.NAME}`. */
function wholeReferences(value: unknown, path: PathSegment[]): Array<{ path: PathSegment[]; name: string }> {
  if (typeof value === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(value);
    return whole ? [{ path, name: whole[1] }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => wholeReferences(v, [...path, i]));
  if (isRecord(value)) return Object.entries(value).flatMap(([k, v]) => wholeReferences(v, [...path, k]));
  return [];
}

/** Sets the value at `path` in a tree substitute() built (so its own, not the template's). */
function setAt(root: Record<string, unknown>, path: readonly PathSegment[], value: unknown): void {
  let node: unknown = root;
  for (const segment of path.slice(0, -1)) node = Array.isArray(node) ? node[segment as number] : isRecord(node) ? node[String(segment)] : undefined;
  const last = path.at(-1);
  if (Array.isArray(node) && typeof last === 'number') node[last] = value;
  else if (isRecord(node) && last !== undefined) node[String(last)] = value;
}

/** Every parameter's value: given, else its default; each checked against its definition. */
export function parameterValues(parameters: Readonly<Record<string, TemplateParameter>>, given: Readonly<Record<string, unknown>>, templateRef: string): Rendered<Record<string, unknown>> {
  const errors: SpecError[] = [];
  const values: Record<string, unknown> = {};
  for (const name of Object.keys(given)) {
    if (!(name in parameters)) {
      const known = Object.keys(parameters);
      errors.push({ path: `params.${name}`, code: 'FJC_TEMPLATE_PARAM_UNKNOWN', message: `is not a parameter of ${templateRef}${known.length ? ` (it has ${known.join(', ')})` : ' (it has none)'}` });
    }
  }
  for (const [name, p] of Object.entries(parameters)) {
    const value = given[name] ?? p.default;
    if (value === undefined) {
      if (p.required) errors.push({ path: `params.${name}`, code: 'FJC_TEMPLATE_PARAM_REQUIRED', message: `is required by ${templateRef} (${p.type})` });
      continue;
    }
    const problem = valueProblem(p, value, true);
    if (problem) errors.push({ path: `params.${name}`, code: 'FJC_TEMPLATE_PARAM_INVALID', message: problem });
    else values[name] = value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: values };
}

/** What is wrong with a value for a parameter, or null. */
function valueProblem(p: TemplateParameter, value: unknown, checkEnum: boolean): string | null {
  if (!hasType(p.type, value)) return `expected ${p.type}, got ${describeValue(value)}`;
  if (checkEnum && p.enum !== undefined && !p.enum.includes(value as string | number)) return `must be one of ${p.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(value)}`;
  if (typeof value === 'string' && p.pattern !== undefined && safeRegExp(p.pattern)?.test(value) === false) return `must match ${p.pattern}, got ${describeValue(value)}`;
  if (typeof value === 'number') {
    if (p.min !== undefined && value < p.min) return `must be at least ${p.min}, got ${value}`;
    if (p.max !== undefined && value > p.max) return `must be at most ${p.max}, got ${value}`;
  }
  return null;
}

function hasType(type: TemplateParameter['type'], value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'list':
      return Array.isArray(value);
    case 'map':
      return isRecord(value);
  }
}

function safeRegExp(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return null;
  }
}

/** Replaces placeholders: a string that is one placeholder takes the typed value (renderTemplateUse then turns it into text where the field takes only text); others interpolate. */
export function substitute(value: unknown, params: Readonly<Record<string, unknown>>): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(value);
    if (whole) return params[whole[1]] === undefined ? null : params[whole[1]];
    return value.replace(PLACEHOLDER, (_, name: string) => (params[name] === undefined ? '' : typeof params[name] === 'string' ? (params[name] as string) : JSON.stringify(params[name])));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, params));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const s = substitute(v, params);
      // An optional parameter without a value leaves its field unset.
      if (s !== null) out[k] = s;
    }
    return out;
  }
  return value;
}

function placeholders(value: unknown, path: string): Array<{ path: string; name: string }> {
  if (typeof value === 'string') return [...value.matchAll(PLACEHOLDER)].map((m) => ({ path, name: m[1] }));
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholders(v, `${path}[${i}]`));
  if (isRecord(value)) return Object.entries(value).flatMap(([k, v]) => placeholders(v, `${path}.${k}`));
  return [];
}
