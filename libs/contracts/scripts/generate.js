#!/usr/bin/env node
// Writes the generated files of @fjc/contracts from its build (run `npx nx run contracts:generate`):
// the spec's, the template's and the pipeline's JSON Schemas and docs/spec-fields.md. Tests fail while any is stale.
const fs = require('node:fs');
const path = require('node:path');
const contracts = require('../dist');

const root = path.resolve(__dirname, '..', '..', '..');
const outputs = [
  [contracts.JOB_SPEC_SCHEMA_FILE, contracts.jobSpecJsonSchemaText()],
  [contracts.JOB_TEMPLATE_SCHEMA_FILE, contracts.jobTemplateJsonSchemaText()],
  [contracts.SPEC_FIELDS_DOC_FILE, contracts.renderSpecFieldsDoc()],
  [contracts.PIPELINE_SCHEMA_FILE, contracts.pipelineJsonSchemaText()],
];
for (const [file, text] of outputs) {
  const target = path.join(root, file);
  const before = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (before === text) {
    console.log(`unchanged ${file}`);
    continue;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
  console.log(`wrote ${file}`);
}
