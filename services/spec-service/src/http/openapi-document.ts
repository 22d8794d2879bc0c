// The OpenAPI 3.1 document of the HTTP API, served at /api/docs. Written by hand for the paths,
// with every body schema generated from the zod schemas the code uses (z.toJSONSchema), so the
// document cannot drift from what handlers accept and return. No decorators, no class-validator.
import { z } from 'zod';
import {
  ApplyResponseSchema,
  ChangeResponseSchema,
  ErrorBodySchema,
  EventsPageSchema,
  JobEventsSchema,
  JobExceptionListSchema,
  SlaReportSchema,
  JobListSchema,
  JobViewSchema,
  MeResponseSchema,
  jobSpecJsonSchema,
  LoggedEventSchema,
  PlanResponseSchema,
  RecoverResponseSchema,
  RollbackResponseSchema,
  SavepointListSchema,
  SavepointResponseSchema,
  VersionListSchema,
  PipelineApplyResponseSchema,
  PipelineRunListSchema,
  PipelineRunViewSchema,
  PipelineViewSchema,
  RetryRunRequestSchema,
  pipelineJsonSchema,
  jobTemplateJsonSchema,
  TemplateApplyResponseSchema,
  TemplateListSchema,
  TemplatePlanResponseSchema,
  TemplateRolloutRequestSchema,
  TemplateRolloutResponseSchema,
  TemplateVersionViewSchema,
} from '@fjc/contracts';
import { ReasonRequestSchema, RecoverRequestSchema, RollbackRequestSchema, SavepointRequestSchema } from './request-bodies';
import { EventsQuerySchema, JobsQuerySchema, SlaQuerySchema, StreamQuerySchema } from './query-params';
import { YAML_MEDIA_TYPES } from './spec-body';

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output' = 'output'): Json {
  // Parsed durations and sizes are transforms: shown as "any" on the output side.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ 'application/json': { schema: ref(name) } });
const reply = (description: string, name: string) => ({ description, content: json(name) });
const refusal = (description: string) => reply(description, 'ErrorBody');
const header = (name: string) => ({ $ref: `#/components/parameters/${name}` });

const commandHeaders = [header('IfMatch'), header('OnBehalfOf'), header('CorrelationId'), header('Traceparent')];
const jobIdParam = {
  name: 'jobId',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
};

const pipelineIdParam = { name: 'pipelineId', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,41}$' } };
const runIdParam = { name: 'runId', in: 'path', required: true, schema: { type: 'string' } };

const EVENT_FILTER_DESCRIPTIONS = {
  jobId: 'Comma-separated job ids',
  type: 'Comma-separated event types',
  namespace: 'Comma-separated namespaces (of the events\' jobs)',
};

/** One query parameter per field of a query schema: its input side, lists as comma-separated text. */
function queryParameters(schema: z.ZodObject, descriptions: Readonly<Record<string, string>>): Json[] {
  const properties = (schemaOf(schema, 'input').properties ?? {}) as Record<string, Json>;
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    ...(descriptions[name] ? { description: descriptions[name] } : {}),
    schema: property,
  }));
}

function jobChange(summary: string, body: string | null, accepted: Json): Json {
  return {
    summary,
    parameters: [jobIdParam, ...commandHeaders],
    ...(body === null ? {} : { requestBody: { required: body === 'RollbackRequest', content: json(body) } }),
    responses: {
      ...accepted,
      400: refusal('Invalid body or headers; every error names its field'),
      404: refusal('FJC_JOB_NOT_FOUND, or FJC_JOB_DELETED: a deleted job takes no changes until a spec is applied to it again'),
      409: refusal('FJC_VERSION_CONFLICT: If-Match is not the current version'),
    },
  };
}

const templateNameParam = { name: 'name', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,53}$' } };

/** Templates (docs/templates.md): versions recorded in the log; plan and rollout move the jobs that use one. */
function templatePaths(): Json {
  const rolloutBody = { required: true, content: json('TemplateRolloutRequest') };
  return {
    '/api/v1/templates': {
      get: { summary: 'Every template with its latest version and how many jobs use it', responses: { 200: reply('The templates', 'TemplateList') } },
    },
    '/api/v1/templates/{name}': {
      get: { summary: "A template's latest version", parameters: [templateNameParam], responses: { 200: reply('The version', 'TemplateVersionView'), 404: refusal('FJC_TEMPLATE_NOT_FOUND') } },
      put: {
        summary: 'Record a template version (a new one only when the content differs); changes no job',
        parameters: [templateNameParam, header('CorrelationId'), header('Traceparent')],
        requestBody: { required: true, content: { 'application/json': { schema: ref('JobTemplate') }, ...Object.fromEntries(YAML_MEDIA_TYPES.map((t) => [t, { schema: { type: 'string' } }])) } },
        responses: {
          201: reply('The first version was recorded', 'TemplateApplyResponse'),
          200: reply('A new version was recorded, or the content equals the latest (changed: false)', 'TemplateApplyResponse'),
          400: refusal('FJC_TEMPLATE_INVALID (every error names its field), FJC_TEMPLATE_NOT_FOUND for the template it extends'),
          403: refusal('FJC_FORBIDDEN: needs the operator role in every namespace ("*")'),
          409: refusal('FJC_VERSION_CONFLICT: recorded concurrently; apply again'),
          415: refusal('FJC_UNSUPPORTED_MEDIA_TYPE'),
        },
      },
    },
    '/api/v1/templates/{name}/versions/{version}': {
      get: {
        summary: 'One version of a template',
        parameters: [templateNameParam, { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
        responses: { 200: reply('The version', 'TemplateVersionView'), 400: refusal('FJC_INVALID_REQUEST'), 404: refusal('FJC_TEMPLATE_NOT_FOUND') },
      },
    },
    '/api/v1/templates/{name}/plan': {
      post: {
        summary: "What moving the jobs that use the template (that the caller may see) to toVersion would do: each job's plan; changes nothing",
        parameters: [templateNameParam, header('CorrelationId')],
        requestBody: rolloutBody,
        responses: { 200: reply('Each job\'s plan, or why it would be refused', 'TemplatePlanResponse'), 400: refusal('FJC_INVALID_REQUEST'), 404: refusal('FJC_TEMPLATE_NOT_FOUND') },
      },
    },
    '/api/v1/templates/{name}/rollout': {
      post: {
        summary: 'Apply toVersion to the jobs that use the template, each through the normal apply path (its own rights check, If-Match, upgrade mode and gates)',
        parameters: [templateNameParam, header('CorrelationId'), header('Traceparent')],
        requestBody: rolloutBody,
        responses: { 200: reply('What happened to each job', 'TemplateRolloutResponse'), 400: refusal('FJC_INVALID_REQUEST'), 404: refusal('FJC_TEMPLATE_NOT_FOUND') },
      },
    },
  };
}

export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'FJC spec-service',
      version: '1',
      description:
        'Job specs in, audit trail out. Every change appends events to the job\'s spec stream in the event log; a 2xx means they are committed. ' +
        'Errors are {errors: [{path, message, code}]} with stable FJC_ codes. Every /api/v1 route needs a bearer token (an OIDC JWT or an FJC API token; 401 FJC_UNAUTHENTICATED ' +
        'without, 403 FJC_FORBIDDEN without the role); the authenticated caller is recorded as the actor. Requests may carry ' +
        'X-Correlation-Id (echoed; links the request to everything it causes) and traceparent.',
    },
    paths: {
      '/api/v1/jobs': {
        get: {
          summary: 'A page of jobs with their current version and lifecycle state, by job id; only namespaces the caller may read',
          parameters: queryParameters(JobsQuerySchema, {
            cursor: 'The previous page\'s next, with the same filters',
            namespace: 'Comma-separated namespaces',
            state: 'Comma-separated lifecycle states (CREATED: not reported on yet)',
            selector: 'Label selector on the spec\'s labels: k=v, k!=v, k, !k, k in (a,b), k notin (a,b), comma-joined; all must hold',
            q: 'Text the job id contains',
          }),
          responses: {
            200: reply('A page of jobs; next is null on the last page', 'JobList'),
            400: refusal('An unknown query parameter or bad value, named in path; FJC_INVALID_SELECTOR (selector), FJC_INVALID_CURSOR (cursor)'),
          },
        },
      },
      '/api/v1/jobs/{jobId}': {
        put: {
          summary: 'Apply a spec: a new version when its canonical hash differs from the current one',
          parameters: [jobIdParam, ...commandHeaders],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ref('JobSpec') },
              ...Object.fromEntries(YAML_MEDIA_TYPES.map((t) => [t, { schema: { type: 'string', description: 'The spec as a YAML document' } }])),
            },
          },
          responses: {
            200: reply('A new version of an existing job (changed: true), or the same spec again (changed: false)', 'ApplyResponse'),
            201: reply('The first version of a new job, or the next version of a deleted job, which creates it again', 'ApplyResponse'),
            400: refusal('An invalid spec (every error with its path, and line for YAML), or job_id differs from the URL (FJC_JOB_ID_MISMATCH), or a new job takes a name reserved for template events, template-* (FJC_JOB_ID_RESERVED); nothing is appended'),
            409: refusal('FJC_VERSION_CONFLICT: If-Match is not the current version'),
            415: refusal('FJC_UNSUPPORTED_MEDIA_TYPE: the body is neither JSON nor YAML'),
          },
        },
        get: {
          summary: 'One job: current spec and version, lifecycle state, Flink job id, last stable version, last error',
          parameters: [jobIdParam],
          responses: { 200: reply('The job (also when deleted: deleted is true)', 'JobView'), 404: refusal('FJC_JOB_NOT_FOUND') },
        },
        delete: jobChange('Delete a job: its Flink job is cancelled, its stream ends', 'ReasonRequest', {
          202: reply('Deletion recorded', 'ChangeResponse'),
          200: reply('Already deleted (changed: false)', 'ChangeResponse'),
        }),
      },
      '/api/v1/jobs/{jobId}/plan': {
        post: {
          summary: 'Plan: what applying this spec would do (change class, steps, slots, jar, diff against the deployed version, warnings); changes nothing',
          parameters: [jobIdParam, ...commandHeaders],
          requestBody: { required: true, content: { 'application/json': { schema: ref('JobSpec') }, ...Object.fromEntries(YAML_MEDIA_TYPES.map((t) => [t, { schema: { type: 'string' } }])) } },
          responses: {
            200: reply('The plan', 'PlanResponse'),
            400: refusal('What apply would refuse: an invalid spec, FJC_JOB_ID_MISMATCH, FJC_JOB_ID_RESERVED'),
            403: refusal('FJC_FORBIDDEN: apply needs the operator role'),
            404: refusal('FJC_JOB_NOT_FOUND: a namespace the caller cannot see'),
            409: refusal('FJC_VERSION_CONFLICT: If-Match is not the current version'),
            415: refusal('FJC_UNSUPPORTED_MEDIA_TYPE'),
          },
        },
      },
      '/api/v1/jobs/{jobId}/versions': {
        get: {
          summary: 'Every spec version of a job, oldest first, with who made it',
          parameters: [jobIdParam],
          responses: { 200: reply('The versions', 'VersionList'), 404: refusal('FJC_JOB_NOT_FOUND') },
        },
      },
      '/api/v1/jobs/{jobId}/events': {
        get: {
          summary: 'The audit trail: every event of the job from every service, in log order',
          parameters: [jobIdParam],
          responses: { 200: reply('The events as envelopes', 'JobEvents'), 404: refusal('FJC_JOB_NOT_FOUND') },
        },
      },
      '/api/v1/jobs/{jobId}/suspend': {
        post: jobChange('Suspend: a new version with state suspended (stop with savepoint)', 'ReasonRequest', {
          200: reply('A new version, or already suspended (changed: false)', 'ChangeResponse'),
        }),
      },
      '/api/v1/jobs/{jobId}/resume': {
        post: jobChange('Resume: a new version with state running (from the latest savepoint)', 'ReasonRequest', {
          200: reply('A new version, or already running (changed: false)', 'ChangeResponse'),
        }),
      },
      '/api/v1/jobs/{jobId}/rollback': {
        post: jobChange('Roll back: a new version equal to an older one; history is never rewritten', 'RollbackRequest', {
          200: reply(
            'A new version, or the old content is already current (changed: false); warnings (FJC_ROLLBACK_*) when restoring that version\'s state could drop state',
            'RollbackResponse',
          ),
        }),
      },
      '/api/v1/jobs/{jobId}/savepoints': {
        get: {
          summary: 'The savepoints FJC recorded for the job, newest first, each with the spec version and hash it belongs to; disposed ones have disposedAt',
          parameters: [jobIdParam],
          responses: { 200: reply('The savepoints', 'SavepointList'), 404: refusal('FJC_JOB_NOT_FOUND') },
        },
        post: jobChange('Ask for a savepoint now', 'SavepointRequest', { 202: reply('The request is recorded', 'SavepointResponse') }),
      },
      '/api/v1/jobs/{jobId}/exceptions': {
        get: {
          summary: "The job's Flink exceptions as FJC recorded them from Flink's exception history, newest first, each with the spec version whose Flink job failed",
          parameters: [jobIdParam],
          responses: { 200: reply('The exceptions', 'JobExceptionList'), 404: refusal('FJC_JOB_NOT_FOUND') },
        },
      },
      '/api/v1/jobs/{jobId}/recover': {
        post: jobChange(
          'Recover a job that lost its state (NEEDS_ATTENTION, FJC_STATE_NOT_FOUND): start it from a savepoint, or with empty state; recorded with the actor',
          'RecoverRequest',
          { 202: reply('The decision is recorded; the reconciler carries it out while the job needs attention', 'RecoverResponse') },
        ),
      },
      '/api/v1/me': {
        get: {
          summary: 'The caller: identity, grants per namespace, and the Flink UI link of each cluster (FJC_CLUSTER_UI_URLS)',
          responses: { 200: reply('The caller as authenticated', 'Me') },
        },
      },
      '/api/v1/sla': {
        get: {
          summary: 'Service levels of a time range: per job with batch_config.sla or stream_config.sla, the runs or windows that met it and each SlaMissed recorded; only jobs in namespaces the caller may read',
          parameters: queryParameters(SlaQuerySchema, {
            from: 'Start of the range (ISO-8601, inclusive)',
            to: 'End of the range (ISO-8601, exclusive)',
            namespace: 'Only these namespaces (comma list)',
          }),
          responses: {
            200: reply('The report', 'SlaReport'),
            400: refusal('a bad or missing from/to, or an unknown query parameter, named in path'),
          },
        },
      },
      '/api/v1/events': {
        get: {
          summary: 'The global event feed, in log order; only events of jobs in namespaces the caller may read',
          parameters: queryParameters(EventsQuerySchema, {
            after: 'Position of the last event read (the previous page\'s next); 0 for the start',
            ...EVENT_FILTER_DESCRIPTIONS,
          }),
          responses: {
            200: reply('A page of events; a filtered page may hold fewer than limit while next moves on', 'EventsPage'),
            400: refusal('after is not a position of this log, or an unknown query parameter or bad value, named in path'),
          },
        },
      },
      '/api/v1/stream': {
        get: {
          summary: 'The live event stream as server-sent events, in log order, without gaps or repeats; only events of jobs in namespaces the caller may read',
          description:
            'Each event: id = its log position, event = its type, data = the logged event (LoggedEvent) as JSON. A retry hint opens the stream; a comment ' +
            'line keeps it alive every 15 s. Resume after Last-Event-ID (wins) or after; with neither, only events from now on; after=0 from the start.',
          parameters: [
            ...queryParameters(StreamQuerySchema, { after: 'Resume after this position; 0 for the start', ...EVENT_FILTER_DESCRIPTIONS }),
            { name: 'Last-Event-ID', in: 'header', description: 'The id of the last event received: the stream resumes after it', schema: { type: 'string', pattern: '^[0-9]{1,19}$' } },
          ],
          responses: {
            200: {
              description: 'The stream; the data of each event is a LoggedEvent',
              // OpenAPI 3.1 has no schema for the items of a stream; the extension names the data's schema.
              content: { 'text/event-stream': { schema: { type: 'string' }, 'x-fjc-event-data': ref('LoggedEvent') } },
            },
            400: refusal('A bad or unknown query parameter, or Last-Event-ID / after not a position of this log'),
            503: refusal('FJC_STREAM_LIMIT_REACHED: this instance serves its most streams (FJC_STREAM_MAX_CLIENTS); FJC_SHUTTING_DOWN. Retry-After says when to retry'),
          },
        },
      },
      '/health/live': { get: { summary: 'Liveness', security: [], responses: { 200: { description: 'The process runs' } } } },
      '/health/started': {
        get: { summary: 'Startup: 503 until the service has started, then 200 for good', security: [], responses: { 200: { description: 'Started' }, 503: { description: 'Starting' } } },
      },
      '/health/ready': {
        get: { summary: 'Readiness (PostgreSQL, Kafka, the consumer, the relay)', security: [], responses: { 200: { description: 'Ready' }, 503: { description: 'Not ready' } } },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics (open unless FJC_AUTH_PROTECT_METRICS=true)',
          security: [{}, { bearer: [] }],
          responses: { 200: { description: 'Text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } } },
        },
      },
      '/': {
        get: {
          summary: 'The web console (docs/console.md): its page; it calls this API with the token the user signs in with',
          security: [],
          responses: { 200: { description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } }, 404: refusal('FJC_CONSOLE_NOT_BUILT') },
        },
      },
      '/assets/{file}': {
        get: {
          summary: "The web console's script and stylesheet (content-hashed names, cached for good)",
          security: [],
          parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' } }],
          responses: { 200: { description: 'The file' }, 404: refusal('FJC_NOT_FOUND: not a file of the console') },
        },
      },
      '/api/v1/pipelines/{pipelineId}': {
        put: {
          summary: 'Apply a pipeline: a new version when it differs from the current one (checked: cycles, unknown references, compensation stage)',
          parameters: [pipelineIdParam, ...commandHeaders],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ref('PipelineSpec') },
              ...Object.fromEntries(YAML_MEDIA_TYPES.map((t) => [t, { schema: { type: 'string', description: 'The pipeline as a YAML document' } }])),
            },
          },
          responses: {
            200: reply('A new version (changed: true) or the same pipeline again (changed: false)', 'PipelineApplyResponse'),
            201: reply('The first version of a new pipeline', 'PipelineApplyResponse'),
            400: refusal('An invalid pipeline (every error with its path), or pipeline_id differs from the URL (FJC_PIPELINE_ID_MISMATCH)'),
            403: refusal('FJC_FORBIDDEN: apply needs the operator role in the namespace, and its stages\' clusters'),
            409: refusal('FJC_VERSION_CONFLICT: changed meanwhile'),
            415: refusal('FJC_UNSUPPORTED_MEDIA_TYPE'),
          },
        },
        get: {
          summary: 'One pipeline: current version, spec and next scheduled run',
          parameters: [pipelineIdParam],
          responses: { 200: reply('The pipeline', 'PipelineView'), 404: refusal('FJC_PIPELINE_NOT_FOUND') },
        },
      },
      '/api/v1/pipelines/{pipelineId}/runs': {
        post: {
          summary: 'Start a run now (trigger manual; ${run.scheduled_time} is now)',
          parameters: [pipelineIdParam, header('OnBehalfOf'), header('CorrelationId'), header('Traceparent')],
          responses: { 201: reply('The run as started', 'PipelineRunView'), 403: refusal('FJC_FORBIDDEN: needs the operator role'), 404: refusal('FJC_PIPELINE_NOT_FOUND') },
        },
        get: {
          summary: 'The pipeline\'s runs, newest first',
          parameters: [pipelineIdParam, { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } }],
          responses: { 200: reply('The runs', 'PipelineRunList'), 400: refusal('FJC_INVALID_REQUEST: limit'), 404: refusal('FJC_PIPELINE_NOT_FOUND') },
        },
      },
      '/api/v1/pipeline-runs/{runId}': {
        get: {
          summary: 'One run: status, and each stage\'s status, attempt, arguments as its job got them, outputs',
          parameters: [runIdParam],
          responses: { 200: reply('The run', 'PipelineRunView'), 404: refusal('FJC_PIPELINE_RUN_NOT_FOUND') },
        },
      },
      '/api/v1/pipeline-runs/{runId}/retry': {
        post: {
          summary: 'Run an ended run again from a stage: it, what is downstream of it, and any stage that had not finished; finished stages keep their results',
          parameters: [runIdParam, header('OnBehalfOf'), header('CorrelationId'), header('Traceparent')],
          requestBody: { required: true, content: json('RetryRunRequest') },
          responses: {
            200: reply('The run, running again', 'PipelineRunView'),
            400: refusal('FJC_PIPELINE_UNKNOWN_STAGE (from_stage), FJC_INVALID_REQUEST'),
            403: refusal('FJC_FORBIDDEN: needs the operator role'),
            404: refusal('FJC_PIPELINE_RUN_NOT_FOUND'),
            409: refusal('FJC_PIPELINE_RUN_NOT_ENDED'),
          },
        },
      },
      ...templatePaths(),
      '/api/docs': {
        get: { summary: 'This document (OpenAPI 3.1, JSON)', security: [], responses: { 200: { description: 'The document', content: { 'application/json': { schema: { type: 'object' } } } } } },
      },
    },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'OIDC access token (JWT) or FJC API token (fjc_...)' } },
      parameters: {
        IfMatch: { name: 'If-Match', in: 'header', description: 'The spec version the caller expects to be current: 3 or "3"', schema: { type: 'string' } },
        OnBehalfOf: {
          name: 'X-FJC-On-Behalf-Of',
          in: 'header',
          description: 'For a caller granted impersonation: the subject of the user it acts for; both are recorded',
          schema: { type: 'string' },
        },
        CorrelationId: { name: 'X-Correlation-Id', in: 'header', description: 'Correlation id of the request; a new one when absent. Echoed', schema: { type: 'string' } },
        Traceparent: { name: 'traceparent', in: 'header', description: 'W3C trace context, carried into the events', schema: { type: 'string' } },
      },
      schemas: {
        JobSpec: (({ $schema: _dialect, ...rest }) => rest)(jobSpecJsonSchema()),
        ApplyResponse: schemaOf(ApplyResponseSchema),
        ChangeResponse: schemaOf(ChangeResponseSchema),
        RollbackResponse: schemaOf(RollbackResponseSchema),
        SavepointResponse: schemaOf(SavepointResponseSchema),
        RecoverResponse: schemaOf(RecoverResponseSchema),
        ErrorBody: schemaOf(ErrorBodySchema),
        PlanResponse: schemaOf(PlanResponseSchema),
        ReasonRequest: schemaOf(ReasonRequestSchema, 'input'),
        RollbackRequest: schemaOf(RollbackRequestSchema, 'input'),
        SavepointRequest: schemaOf(SavepointRequestSchema, 'input'),
        RecoverRequest: schemaOf(RecoverRequestSchema, 'input'),
        JobList: schemaOf(JobListSchema),
        JobView: schemaOf(JobViewSchema),
        VersionList: schemaOf(VersionListSchema),
        SavepointList: schemaOf(SavepointListSchema),
        JobExceptionList: schemaOf(JobExceptionListSchema),
        SlaReport: schemaOf(SlaReportSchema),
        JobEvents: schemaOf(JobEventsSchema),
        EventsPage: schemaOf(EventsPageSchema),
        Me: schemaOf(MeResponseSchema),
        LoggedEvent: schemaOf(LoggedEventSchema),
        PipelineSpec: (({ $schema: _dialect, ...rest }) => rest)(pipelineJsonSchema()),
        PipelineApplyResponse: schemaOf(PipelineApplyResponseSchema),
        PipelineView: schemaOf(PipelineViewSchema),
        PipelineRunView: schemaOf(PipelineRunViewSchema),
        PipelineRunList: schemaOf(PipelineRunListSchema),
        RetryRunRequest: schemaOf(RetryRunRequestSchema, 'input'),
        JobTemplate: (({ $schema: _dialect, ...rest }) => rest)(jobTemplateJsonSchema()),
        TemplateApplyResponse: schemaOf(TemplateApplyResponseSchema),
        TemplateList: schemaOf(TemplateListSchema),
        TemplateVersionView: schemaOf(TemplateVersionViewSchema),
        TemplateRolloutRequest: schemaOf(TemplateRolloutRequestSchema, 'input'),
        TemplatePlanResponse: schemaOf(TemplatePlanResponseSchema),
        TemplateRolloutResponse: schemaOf(TemplateRolloutResponseSchema),
      },
    },
  };
}
