// docs/spec-fields.md, generated from the field-effects table and the schema, so the page can
// never say something the code does not do. `npx nx run contracts:generate` rewrites it; a
// test fails when the committed page differs.
import { z } from 'zod';
import { JobSpecSchema } from '../spec/job-spec';
import { fieldDefault, fieldDescription, leafFields, unwrapSchema } from '../spec/schema-walk';
import { COMBINATION_RULES } from './combination-warnings';
import { FIELD_EFFECTS, FLINK_KEY_SUPPORT, type FieldEffect } from './field-effects';

export const SPEC_FIELDS_DOC_FILE = 'docs/spec-fields.md';

const CHANGE_TEXT: Readonly<Record<FieldEffect['onChange'], string>> = {
  'metadata-only': 'metadata only (nothing happens to the running job)',
  rescale: 'rescale',
  redeploy: 'redeploy',
  'desired-state': 'desired state (the reconciler suspends or resumes)',
};

export function renderSpecFieldsDoc(): string {
  const schemas = schemasByPath();
  const lines: string[] = [
    '# Job spec fields',
    '',
    '<!-- Generated from libs/contracts (FIELD_EFFECTS, JobSpecSchema) by `npx nx run contracts:generate`. Do not edit: a test fails when this page is stale. -->',
    '',
    'What every field of a job spec does. FJC runs jobs on Flink 2.x and 1.20 **session clusters**, so a field either sets',
    'per-job configuration in the run request (`flinkConfiguration` of `POST /jars/:jarid/run`), sets a field of',
    'that request (`parallelism`, `entryClass`, `programArgsList`, `allowNonRestoredState`), is acted on by FJC',
    'itself, or produces a warning saying why a session cluster cannot honour it. No field is silently ignored;',
    'unknown fields are errors. `flinkSubmission(spec)` in `@fjc/contracts` applies exactly this table.',
    '',
    'Durations are written `"500ms"`, `"30s"`, `"5m"` (or `"5min"`), `"1h"`, `"1d"`, or as whole milliseconds; sizes as',
    '`"512m"`, `"2g"`, `"1024mb"` (binary units, as in Flink) or whole bytes. Flink receives durations in milliseconds.',
    'The JSON Schema is `libs/contracts/schema/job-spec.schema.json`; check files with `npx fjc validate FILE|DIR`.',
    '',
    '## Overview',
    '',
    '| Field | Flink (per job) | Warning | A change needs |',
    '|---|---|---|---|',
    ...FIELD_EFFECTS.map(
      (effect) =>
        `| \`${effect.path}\` | ${flinkSummary(effect) || '-'} | ${effect.warning ? `\`${effect.warning.code}\`` : '-'} | ${effect.onChange} |`,
    ),
    '',
  ];

  const sections = new Map<string, FieldEffect[]>([['', []]]);
  for (const effect of FIELD_EFFECTS) {
    const top = effect.path.includes('.') ? effect.path.split('.')[0] : '';
    sections.set(top, [...(sections.get(top) ?? []), effect]);
  }
  for (const [section, effects] of sections) {
    lines.push(section === '' ? '## Top-level fields' : `## ${section}`, '');
    const description = section === '' ? undefined : sectionDescription(section);
    if (description) lines.push(description, '');
    for (const effect of effects) lines.push(...fieldSection(effect, schemas.get(effect.path) ?? []));
  }

  lines.push(
    '## Configuration keys by Flink line',
    '',
    'Which Flink a cluster runs is read from its REST API (`GET /config`), never configured. Every key FJC sends is',
    'read by both supported lines; Flink 2.0 removed the deprecated names listed beside them, which FJC never sends.',
    '',
    '| Key | Flink lines | Replaces (removed in 2.0) |',
    '|---|---|---|',
    ...Object.entries(FLINK_KEY_SUPPORT)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, support]) => `| \`${key}\` | ${support.lines.join(', ')} | ${support.replaces ? `\`${support.replaces}\`` : '-'} |`),
    '',
    '## Warnings about combinations',
    '',
    'Reported when the first field is set (written in the spec, not left to its default) while other fields make it irrelevant.',
    '',
    '| Field | Code | Warning |',
    '|---|---|---|',
    ...COMBINATION_RULES.map((rule) => `| \`${rule.path}\` | \`${rule.code}\` | ${rule.message} |`),
    '',
    '## What a change needs',
    '',
    '`classifySpecChange(previous, next)` returns the strongest need among the changed fields:',
    '`none` < `metadata-only` < `rescale` < `redeploy`. `state` is not part of it: it is the desired lifecycle,',
    'which the reconciler compares with the observed one on every pass, so two specs differing only in `state`',
    'classify as `none` (their hashes still differ, so the new version is recorded). `specHash(spec)` is the SHA-256',
    'of the canonical JSON of the parsed spec (defaults applied, durations in ms, sizes in bytes, keys sorted), so',
    'YAML or JSON, key order and written or left-out defaults never change it.',
    '',
  );
  return lines.join('\n');
}

function fieldSection(effect: FieldEffect, schemas: readonly z.ZodType[]): string[] {
  const [schema] = schemas;
  const description = schema ? fieldDescription(schema) : undefined;
  const lines = [`### \`${effect.path}\``, ''];
  if (description) lines.push(description, '');
  lines.push(`- Type: ${typeText(schemas)}; ${defaultText(schema)}; example: \`${JSON.stringify(effect.example)}\``);
  const flink = flinkSummary(effect);
  if (flink) lines.push(`- Flink: ${flink}`);
  if (effect.steers?.length) lines.push(`- Also decides which keys these fields set: ${effect.steers.map((p) => `\`${p}\``).join(', ')}`);
  if (effect.warning) lines.push(`- Warning \`${effect.warning.code}\`: ${effect.warning.message}`);
  if (effect.fjc) lines.push(`- FJC: ${effect.fjc}`);
  lines.push(`- A change needs: ${CHANGE_TEXT[effect.onChange]}`, '');
  return lines;
}

function flinkSummary(effect: FieldEffect): string {
  const parts: string[] = [];
  if (effect.flinkKeys?.length) parts.push(effect.flinkKeys.map((key) => `\`${key}\``).join(', '));
  if (effect.runRequest?.length) parts.push(`run request ${effect.runRequest.map((f) => `\`${f === 'programArgs' ? 'programArgsList' : f}\``).join(', ')}`);
  return parts.join('; ');
}

function schemasByPath(): Map<string, z.ZodType[]> {
  const byPath = new Map<string, z.ZodType[]>();
  for (const variant of JobSpecSchema.options) {
    for (const leaf of leafFields(variant)) byPath.set(leaf.path, [...(byPath.get(leaf.path) ?? []), leaf.schema]);
  }
  return byPath;
}

function sectionDescription(section: string): string | undefined {
  for (const variant of JobSpecSchema.options) {
    const field = (variant.shape as Record<string, z.ZodType>)[section];
    if (field) return fieldDescription(unwrapSchema(field).inner) ?? fieldDescription(field);
  }
  return undefined;
}

function typeText(schemas: readonly z.ZodType[]): string {
  const labels = [...new Set(schemas.map(typeLabel))];
  return labels.join(' or ');
}

function typeLabel(schema: z.ZodType): string {
  const { inner, kind } = unwrapSchema(schema);
  if (kind) return kind;
  if (inner instanceof z.ZodLiteral) return `\`${JSON.stringify(inner.value)}\``;
  if (inner instanceof z.ZodEnum) return `one of ${inner.options.map((o) => `\`${String(o)}\``).join(', ')}`;
  if (inner instanceof z.ZodBoolean) return 'true or false';
  if (inner instanceof z.ZodNumber) return numberLabel(inner);
  if (inner instanceof z.ZodArray) return 'list of text';
  if (inner instanceof z.ZodRecord) return `mapping of ${unwrapSchema(inner.keyType as z.ZodType).kind ?? 'name'} to text`;
  return 'text';
}

function numberLabel(schema: z.ZodNumber): string {
  const json = z.toJSONSchema(schema) as { minimum?: number; exclusiveMinimum?: number; maximum?: number };
  const noun = schema.isInt ? 'whole number' : 'number';
  const low = json.exclusiveMinimum !== undefined ? `above ${json.exclusiveMinimum}` : `${json.minimum}`;
  return json.maximum !== undefined && json.maximum < Number.MAX_SAFE_INTEGER ? `${noun}, ${low} to ${json.maximum}` : `${noun}, at least ${low}`;
}

function defaultText(schema: z.ZodType | undefined): string {
  if (schema === undefined) return 'required';
  const value = fieldDefault(schema);
  if (value !== undefined) return `default \`${JSON.stringify(value)}\``;
  return schema instanceof z.ZodOptional ? 'optional' : 'required';
}
