// Pipelines: the spec, its graph and references, its JSON Schema, and the job spec of a stage's run.
export * from './pipeline-spec';
export * from './stage-graph';
export * from './references';
export * from './validate-pipeline';
export * from './pipeline-json-schema';
export * from './stage-job-spec';
export * from './run-events';
