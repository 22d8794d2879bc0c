import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JOB_SPEC_SCHEMA_FILE, jobSpecJsonSchema, jobSpecJsonSchemaText } from './json-schema';

const WORKSPACE = join(__dirname, '..', '..', '..', '..');

type JsonObject = { [key: string]: unknown };
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function objectsIn(schema: unknown, path = '#'): { path: string; node: JsonObject }[] {
  if (Array.isArray(schema)) return schema.flatMap((item, i) => objectsIn(item, `${path}/${i}`));
  if (!isObject(schema)) return [];
  const here = schema.type === 'object' && isObject(schema.properties) ? [{ path, node: schema }] : [];
  return [...here, ...Object.entries(schema).flatMap(([key, value]) => objectsIn(value, `${path}/${key}`))];
}

describe('JSON Schema of the spec', () => {
  it(`is committed up to date at ${JOB_SPEC_SCHEMA_FILE} (regenerate with \`npx nx run contracts:generate\`)`, () => {
    expect(readFileSync(join(WORKSPACE, JOB_SPEC_SCHEMA_FILE), 'utf8')).toBe(jobSpecJsonSchemaText());
  });

  it('has one variant per job_type, each requiring job_id, job_type and artifact_path', () => {
    const variants = (jobSpecJsonSchema().anyOf ?? []) as JsonObject[];
    expect(variants.map((v) => (v.properties as Record<string, JsonObject>).job_type.const)).toEqual(['stream', 'batch']);
    for (const variant of variants) expect(variant.required).toEqual(['job_id', 'job_type', 'artifact_path']);
  });

  it('forbids unknown fields in every object', () => {
    const objects = objectsIn(jobSpecJsonSchema());
    expect(objects.length).toBeGreaterThan(10);
    for (const { path, node } of objects) expect([path, node.additionalProperties]).toEqual([path, false]);
  });

  it('shows defaults as a person writes them', () => {
    const stream = ((jobSpecJsonSchema().anyOf ?? []) as JsonObject[])[0].properties as Record<string, JsonObject>;
    const deployment = stream.deployment.properties as Record<string, JsonObject>;
    expect(deployment.checkpoint_interval.default).toBe('60s');
    expect(deployment.parallelism.default).toBe(1);
    expect(deployment.allow_non_restored_state.default).toBe(false);
    expect(typeof deployment.parallelism.description).toBe('string');
  });
});
