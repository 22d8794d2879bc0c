import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PIPELINE_SCHEMA_FILE, pipelineJsonSchema, pipelineJsonSchemaText } from './pipeline-json-schema';

const WORKSPACE = join(__dirname, '..', '..', '..', '..');

describe('JSON Schema of the pipeline spec', () => {
  it(`is committed up to date at ${PIPELINE_SCHEMA_FILE} (regenerate with \`npx nx run contracts:generate\`)`, () => {
    expect(readFileSync(join(WORKSPACE, PIPELINE_SCHEMA_FILE), 'utf8')).toBe(pipelineJsonSchemaText());
  });
  it('requires pipeline_id and stages, and forbids unknown top-level fields', () => {
    const schema = pipelineJsonSchema();
    expect(schema.required).toEqual(['pipeline_id', 'stages']);
    expect(schema.additionalProperties).toBe(false);
  });
});
