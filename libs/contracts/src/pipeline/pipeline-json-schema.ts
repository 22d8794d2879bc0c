// The JSON Schema of the pipeline spec, generated from the zod schema (input side), committed at
// libs/contracts/schema/pipeline.schema.json for editors; rules across stages (cycles,
// references) are validatePipeline's.
import { z } from 'zod';
import { PipelineSpecSchema } from './pipeline-spec';

export const PIPELINE_SCHEMA_FILE = 'libs/contracts/schema/pipeline.schema.json';

export function pipelineJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PipelineSpecSchema, { io: 'input', target: 'draft-2020-12' });
}

export function pipelineJsonSchemaText(): string {
  return `${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`;
}
