// @fjc/contracts: zod schemas of the job spec, commands, events and topics, and the pure
// functions around them. Nothing here has side effects.
export * from './topics';
export * from './topic-registry';

// Job spec
export * from './spec/job-spec';
export * from './spec/spec-error';
export * from './spec/spec-limits';
export { validateSpec, specWarnings, type SpecValidation } from './spec/validate-spec';
export { formatFieldPath, parseFieldPath, type PathSegment } from './spec/field-path';
export { specChanges, type SpecChange } from './spec/spec-changes';
export { parseDuration, formatDuration, parseByteSize, formatByteSize, DURATION_PATTERN, BYTE_SIZE_PATTERN } from './spec/units';
export { canonicalJson, canonicalSpec, specHash } from './spec/canonical';
export { jobSpecJsonSchema, jobSpecJsonSchemaText, JOB_SPEC_SCHEMA_FILE } from './spec/json-schema';
export { leafFields, type LeafField } from './spec/schema-walk';
export { JOB_ID_PATTERN } from './spec/field-types';
export { nextFireTime } from './spec/cron-times';
// Pipelines (stages of batch jobs in a graph)
export * from './pipeline';
export { SecretRefSchema, SECRET_REF_PATTERN, isSecretRef, looksSecret, literalSecrets, secretRefsOf, type SecretRef, type SecretOrText } from './spec/secret-ref';

// The operators' artifact policy
export * from './artifacts/artifact-policy';

// Spec files
export * from './document/spec-document';
export { validateSpecDocument } from './document/validate-document';

// What the fields do
export * from './effects/field-effects';
export * from './effects/flink-submission';
export * from './effects/combination-warnings';
export * from './effects/classify-change';
export * from './effects/spec-transition';
export { renderSpecFieldsDoc, SPEC_FIELDS_DOC_FILE } from './effects/spec-fields-doc';

// HTTP API responses (spec-service, CLI, console)
export * from './api/jobs';
export * from './api/commands';
export * from './api/me';
export * from './api/exceptions';
export * from './api/sla';
export * from './api/label-selector';

// Messages
export * from './messages/common';
export * from './messages/envelope';
export * from './messages/spec-events';
export * from './messages/schedule-events';
export * from './messages/action-events';
export * from './messages/observation-events';
export * from './messages/lifecycle-events';
export * from './messages/stability-events';
export * from './messages/spec-commands';
export * from './messages/validate-command';
export * from './messages/dead-letter';
export * from './messages/event-catalog';
export * from './messages/decode-event';

// HTTP API answers
export * from './api/plan';
export * from './api/pipelines';

// Job templates
export * from './templates/job-template';
export * from './templates/render-template';
export * from './templates/template-json-schema';
export * from './messages/template-events';
export * from './api/templates';
