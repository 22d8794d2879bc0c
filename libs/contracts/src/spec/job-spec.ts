// The job spec: what should run, as a person writes it (YAML or JSON, snake_case). Parsing
// applies defaults and turns durations into milliseconds and sizes into bytes, so a parsed spec
// is the canonical form: parsing it again gives the same value. Unknown fields are errors at
// every depth. job_type picks the variant: batch_config exists only on batch jobs,
// stream_config only on stream jobs.
import { z } from 'zod';
import {
  ArtifactPathSchema,
  ArtifactSignatureSchema,
  CronSchema,
  EnvVarNameSchema,
  JavaClassNameSchema,
  JobIdSchema,
  KerberosPrincipalSchema,
  LabelKeySchema,
  LabelValueSchema,
  ResourceNameSchema,
  SavepointDirSchema,
  TimeOfDaySchema,
  TimeZoneSchema,
  byteSizeSchema,
  durationSchema,
} from './field-types';
import { literalSecrets, SecretOrTextSchema } from './secret-ref';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MIB = 1024 ** 2;
const TIB = 1024 ** 4;
const INT_MAX = 2_147_483_647;

/** Flink's largest max-parallelism; no operator can run wider. */
export const MAX_PARALLELISM = 32_768;

export const JOB_TYPES = ['stream', 'batch'] as const;
export const DESIRED_STATES = ['running', 'suspended'] as const;
export const UPGRADE_MODES = ['stateless', 'savepoint', 'last-state'] as const;
export const RESTART_STRATEGIES = ['fixed-delay', 'exponential-delay', 'failure-rate', 'none'] as const;
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export const CONCURRENCY_POLICIES = ['allow', 'forbid', 'replace'] as const;
export const CLASSLOADER_RESOLVE_ORDERS = ['child-first', 'parent-first'] as const;
export const CLASSLOADER_CACHE_MODES = ['per-job', 'shared'] as const;

export const DeploymentSchema = z
  .strictObject({
    parallelism: z
      .int()
      .min(1)
      .max(MAX_PARALLELISM)
      .default(1)
      .meta({ description: 'How many parallel instances of each operator run (task slots the job takes).' }),
    checkpoint_interval: durationSchema({ min: 10, max: 7 * DAY })
      .prefault('60s')
      .meta({ description: 'Time between checkpoints of a stream job ("30s", "5m", or milliseconds).' }),
    savepoint_path: SavepointDirSchema.optional().meta({
      description: 'Directory for savepoints of this job; when absent the cluster\'s default savepoint directory is used.',
    }),
    restart_strategy: z
      .enum(RESTART_STRATEGIES)
      .default('fixed-delay')
      .meta({ description: 'How Flink restarts the job after a failure.' }),
    max_restart_attempts: z
      .int()
      .min(0)
      .max(INT_MAX)
      .default(3)
      .meta({ description: 'Restarts Flink tries before the job fails (per interval for failure-rate).' }),
    restart_delay: durationSchema({ min: 0, max: DAY })
      .prefault('10s')
      .meta({ description: 'Wait before a restart (the first wait for exponential-delay).' }),
    upgrade_mode: z
      .enum(UPGRADE_MODES)
      .default('stateless')
      .meta({ description: 'How a running job carries its state into a new version: not at all, through a savepoint, or from its last checkpoint.' }),
    allow_non_restored_state: z
      .boolean()
      .default(false)
      .meta({ description: 'Let a restore skip state that no operator of the new version claims.' }),
  })
  .meta({ description: 'How Flink runs the job.' });

export const ResourcesSchema = z
  .strictObject({
    memory: byteSizeSchema({ min: MIB, max: 16 * TIB })
      .optional()
      .meta({ description: 'Process memory wanted for the job ("2g").' }),
    cpu_cores: z
      .number()
      .positive()
      .max(1024)
      .optional()
      .meta({ description: 'CPU cores wanted for the job.' }),
    network_memory: byteSizeSchema({ min: MIB, max: 16 * TIB })
      .optional()
      .meta({ description: 'Network buffer memory wanted for the job ("256m").' }),
  })
  .meta({ description: 'Resources the job asks for.' });

export const SecuritySchema = z
  .strictObject({
    kerberos_principal: KerberosPrincipalSchema.optional().meta({ description: 'Kerberos principal the job should run as.' }),
    ssl_enabled: z.boolean().default(false).meta({ description: 'Whether the job wants TLS on Flink\'s connections.' }),
    artifact_verification: z
      .boolean()
      .default(true)
      .meta({ description: 'Check the jar against artifact_signature before it is uploaded; a namespace whose artifact policy requires a digest or signature refuses false.' }),
  })
  .meta({ description: 'Security settings.' });

export const MonitoringSchema = z
  .strictObject({
    metrics_port: z.int().min(1).max(65_535).optional().meta({ description: 'Port for a metrics endpoint of the job.' }),
    log_level: z.enum(LOG_LEVELS).optional().meta({ description: 'Log level for the job\'s code.' }),
    alert_on_failure: z.boolean().default(true).meta({ description: 'Raise an alert when the job fails.' }),
    alert_on_backpressure: z.boolean().default(false).meta({ description: 'Raise an alert when the job is back-pressured.' }),
  })
  .meta({ description: 'Monitoring and alerting.' });

/** A batch job's service level: each run finished by a time of day, or within a duration. */
export const BatchSlaSchema = z
  .strictObject({
    deadline: TimeOfDaySchema.optional().meta({
      description: 'Each run must have finished by this time of day ("06:00") in batch_config.timezone: the first such time at or after the run\'s scheduled time.',
    }),
    within: durationSchema({ min: SECOND, max: 7 * DAY })
      .optional()
      .meta({ description: 'Each run must have finished this long after its scheduled time (an unscheduled run: after it was started).' }),
  })
  .refine((s) => s.deadline !== undefined || s.within !== undefined, {
    message: 'must name deadline, within or both',
    params: { code: 'FJC_SPEC_INVALID_VALUE' },
  })
  .meta({ description: 'Service level of each run: a run that has not FINISHED by then is recorded as SlaMissed (once per run), counted in fjc_sla_missed_total and alerted on.' });

/** A stream job's service level: the share of each window it must be RUNNING. */
export const StreamSlaSchema = z
  .strictObject({
    availability: z
      .number()
      .gt(0)
      .max(100)
      .default(99.9)
      .meta({ description: 'Percent of each window the job must be RUNNING in Flink (99.5).' }),
    window: durationSchema({ min: 10 * SECOND, max: 31 * DAY })
      .prefault('1d')
      .meta({ description: 'The windows availability is measured over, back to back from the Unix epoch ("1h", "1d").' }),
  })
  .meta({ description: 'Service level of a stream job: a window below its availability is recorded as SlaMissed (once per window), counted in fjc_sla_missed_total and alerted on.' });
export const BatchRetrySchema = z
  .strictObject({
    max_attempts: z
      .int()
      .min(1)
      .max(100)
      .default(1)
      .meta({ description: 'Attempts of one scheduled run in all, the first included: a run whose Flink job FAILED is started again until this many have failed (1: no retry).' }),
    backoff_seconds: z.int().min(0).max(86_400).default(60).meta({ description: 'Seconds between a failed attempt and the next.' }),
  })
  .meta({ description: 'Retry of scheduled runs whose Flink job FAILED.' });

export const BatchConfigSchema = z
  .strictObject({
    cron: CronSchema.optional().meta({
      description: 'Schedule of runs: 5 fields (minute hour day-of-month month day-of-week), or 6 with leading seconds, or @hourly/@daily/@weekly/@monthly/@yearly. Without it the job runs once per applied version.',
    }),
    timezone: TimeZoneSchema.prefault('UTC').meta({ description: 'IANA time zone the cron schedule is read in ("Europe/Berlin").' }),
    max_runs: z.int().min(1).max(INT_MAX).optional().meta({ description: 'Stop scheduling after this many runs.' }),
    ttl_seconds: z.int().min(1).max(INT_MAX).optional().meta({ description: 'A run still going after this many seconds is stopped (with a savepoint, else cancelled) and counted as failed.' }),
    completion_timeout_seconds: z
      .int()
      .min(1)
      .max(INT_MAX)
      .optional()
      .meta({ description: 'A run Flink has not reported ended (finished, failed or canceled) this many seconds after it started is taken as hung: cancelled at once, no savepoint, and counted as failed.' }),
    retry: BatchRetrySchema.prefault({}).meta({ description: 'Retry of scheduled runs whose Flink job FAILED (cron jobs only). By default none: a failed run waits for the next scheduled time.' }),
    cleanup_on_completion: z
      .boolean()
      .default(false)
      .meta({ description: 'Delete the uploaded jar from the cluster when a run ends.' }),
    concurrency_policy: z
      .enum(CONCURRENCY_POLICIES)
      .default('forbid')
      .meta({ description: 'What a scheduled run does while the previous run is still going: run too, skip, or replace it.' }),
    starting_deadline_seconds: z
      .int()
      .min(1)
      .max(INT_MAX)
      .optional()
      .meta({ description: 'A run that could not start within this many seconds of its scheduled time is skipped.' }),
    sla: BatchSlaSchema.optional(),
  })
  .meta({ description: 'Batch jobs only: schedule and run policy.' });

export const BACKPRESSURE_LIMITS = ['ok', 'low'] as const;
export const RESTART_REMEDIES = ['redeploy', 'rollback', 'alert'] as const;

/** The gates a new deployment (a candidate) must pass before it counts as stable. */
export const StabilitySchema = z
  .strictObject({
    min_running_time: durationSchema({ min: 0, max: DAY })
      .prefault('30s')
      .meta({ description: 'The candidate must be RUNNING this long, without a restart in between.' }),
    min_checkpoints: z
      .int()
      .min(0)
      .max(1000)
      .default(1)
      .meta({ description: 'Checkpoints the candidate must complete (0: none needed).' }),
    max_restarts: z
      .int()
      .min(0)
      .max(1000)
      .default(2)
      .meta({ description: 'Restarts the candidate may go through and still pass; one more fails it.' }),
    deadline: durationSchema({ min: SECOND, max: 7 * DAY })
      .prefault('10m')
      .meta({ description: 'A candidate that has not passed every gate this long after it started fails.' }),
    min_records_out_per_second: z
      .number()
      .min(0)
      .max(1e12)
      .optional()
      .meta({ description: 'Optional: the job\'s sources must emit more than this many records per second (read from Flink\'s metrics).' }),
    max_backpressure: z
      .enum(BACKPRESSURE_LIMITS)
      .optional()
      .meta({ description: 'Optional: the highest back-pressure level the candidate may show when it passes (ok or low).' }),
  })
  .refine((s) => s.deadline >= s.min_running_time, {
    path: ['deadline'],
    message: 'must be at least min_running_time: a candidate could never pass',
    params: { code: 'FJC_SPEC_INVALID_VALUE' },
  })
  .meta({ description: 'Stability gates: when a new version of a stream job counts as stable.' });

/** FJC's own restart budget, on top of Flink's restart strategy. */
export const RestartBudgetSchema = z
  .strictObject({
    max_restarts: z
      .int()
      .min(1)
      .max(100_000)
      .default(10)
      .meta({ description: 'Restarts allowed within window; one more marks the job unhealthy.' }),
    window: durationSchema({ min: SECOND, max: 7 * DAY })
      .prefault('10m')
      .meta({ description: 'The sliding window restarts are counted in.' }),
    remedy: z
      .enum(RESTART_REMEDIES)
      .default('redeploy')
      .meta({ description: 'What an unhealthy job gets: redeploy (a fresh job from its newest checkpoint), rollback (to the last stable version), or alert (the alert flag only).' }),
  })
  .meta({ description: 'How many restarts FJC tolerates before it steps in.' });

/** Which savepoints FJC disposes of. */
export const SavepointRetentionSchema = z
  .strictObject({
    keep_last: z
      .int()
      .min(1)
      .max(10_000)
      .default(10)
      .meta({ description: 'The newest savepoints of the job kept; older ones are disposed of unless younger than max_age.' }),
    max_age: durationSchema({ min: MINUTE, max: 3650 * DAY })
      .optional()
      .meta({ description: 'Optional: savepoints younger than this are kept whatever keep_last says.' }),
  })
  .meta({ description: 'Savepoint retention. The savepoint a rollback to the last stable version needs and the newest one are never disposed of.' });

export const StreamConfigSchema = z
  .strictObject({
    savepoint_trigger_interval: durationSchema({ min: 10 * SECOND, max: 30 * DAY })
      .optional()
      .meta({ description: 'Take a savepoint of the running job this often.' }),
    checkpoint_timeout: durationSchema({ min: 10, max: 7 * DAY })
      .prefault('10m')
      .meta({ description: 'A checkpoint not complete after this long is aborted.' }),
    min_pause_between_checkpoints: durationSchema({ min: 0, max: 7 * DAY })
      .prefault('0ms')
      .meta({ description: 'Least time between the end of one checkpoint and the start of the next.' }),
    max_concurrent_checkpoints: z
      .int()
      .min(1)
      .max(1000)
      .default(1)
      .meta({ description: 'Checkpoints that may be in progress at the same time.' }),
    stability: StabilitySchema.prefault({}),
    auto_rollback: z
      .boolean()
      .optional()
      .meta({ description: 'Roll a version that fails its stability gates (or whose job fails) back to the last stable version, from the savepoint taken when that version stopped. Default: true when deployment.upgrade_mode is savepoint or last-state, false for stateless.' }),
    restart_budget: RestartBudgetSchema.prefault({}),
    savepoint_retention: SavepointRetentionSchema.prefault({}),
    sla: StreamSlaSchema.optional(),
  })
  .meta({ description: 'Stream jobs only: checkpoints, savepoints, stability and rollback.' });

export const AdvancedSchema = z
  .strictObject({
    classloader_resolve_order: z
      .enum(CLASSLOADER_RESOLVE_ORDERS)
      .optional()
      .meta({ description: 'Whether the job\'s own classes win over Flink\'s (child-first) or the other way round.' }),
    classloader_cache_mode: z
      .enum(CLASSLOADER_CACHE_MODES)
      .optional()
      .meta({ description: 'Whether the job gets its own user-code class loader (per-job) or shares one with other jobs.' }),
    network_buffer_timeout: durationSchema({ min: 0, max: HOUR })
      .optional()
      .meta({ description: 'Longest time an output buffer waits to fill before it is sent (0ms sends every record at once).' }),
    taskmanager_heap_size: byteSizeSchema({ min: MIB, max: 16 * TIB })
      .optional()
      .meta({ description: 'Task heap memory wanted for the job ("4g").' }),
  })
  .meta({ description: 'Expert settings.' });

// One shape, two variants: the field order here is the order of the docs and the JSON Schema.
function specShape<T extends (typeof JOB_TYPES)[number], K extends string, C extends z.ZodType>(jobType: T, configKey: K, config: C) {
  const head = {
    job_id: JobIdSchema.meta({ description: 'Name of the job, unique in FJC: ^[a-z0-9][a-z0-9-]{0,62}$.' }),
    namespace: ResourceNameSchema.prefault('default').meta({ description: 'RBAC scope the job belongs to.' }),
    job_type: z.literal(jobType).meta({ description: 'stream (runs until stopped) or batch (runs to completion).' }),
    state: z
      .enum(DESIRED_STATES)
      .default('running')
      .meta({ description: 'Desired state: running, or suspended (stopped, spec kept).' }),
    cluster: ResourceNameSchema.prefault('default').meta({ description: 'Named Flink session cluster to run on.' }),
    artifact_path: ArtifactPathSchema.meta({
      description: 'The job jar: a path under the artifact root, a file:// URL, or an https:// URL on the allow list.',
    }),
    artifact_signature: ArtifactSignatureSchema.optional().meta({
      description: 'Optional: "sha256:" and the 64 hex digits of the jar\'s SHA-256, or "ed25519:" and the base64 Ed25519 signature of the jar by a key the operators trust. Without it the digest of the uploaded jar is recorded in the event log.',
    }),
    entry_class: JavaClassNameSchema.optional().meta({
      description: 'Main class of the job; optional when the jar\'s manifest names one.',
    }),
    deployment: DeploymentSchema.prefault({}),
    resources: ResourcesSchema.prefault({}),
    security: SecuritySchema.prefault({}),
    monitoring: MonitoringSchema.prefault({}),
    args: z
      .array(SecretOrTextSchema)
      .max(1000)
      .prefault([])
      .meta({ description: 'Program arguments passed to the job\'s main(); an argument may be {secretRef: <name>}, resolved by the deployer at submit time.' }),
    env_vars: z
      .record(EnvVarNameSchema, SecretOrTextSchema)
      .prefault({})
      .meta({ description: 'Environment variables wanted for the job\'s processes; a value may be {secretRef: <name>}.' }),
    non_secret_keys: z
      .array(z.string().min(1).max(256))
      .max(1000)
      .prefault([])
      .meta({ description: 'env_vars names and argument flags ("--key-by") that look secret but are not: their literal values are allowed.' }),
  };
  const variant = { [configKey]: config } as { [P in K]: C };
  const tail = {
    advanced: AdvancedSchema.prefault({}),
    labels: z
      .record(LabelKeySchema, LabelValueSchema)
      .prefault({})
      .meta({ description: 'Free-form metadata for people and tools; never sent to Flink.' }),
  };
  return { ...head, ...variant, ...tail };
}

type SpecLike = {
  readonly deployment?: { readonly upgrade_mode?: unknown };
};

/** Run a cross-field rule even when other fields failed, unless one of the fields it reads did. */
function whenValid(...paths: readonly string[]) {
  return (payload: { value: unknown; issues: readonly { path?: readonly PropertyKey[] }[] }): boolean =>
    typeof payload.value === 'object' &&
    payload.value !== null &&
    !payload.issues.some((issue) => paths.includes(String(issue.path?.[0])));
}

type SecretHolders = Parameters<typeof literalSecrets>[0];

/** A literal under a secret-looking name would be kept forever in the log: refuse it, at its path.
 *  (zod runs it once the fields it reads, and the others, parsed without type errors.) */
const noLiteralSecrets = z.superRefine<SecretHolders>((spec, ctx) => {
  for (const found of literalSecrets(spec)) {
    ctx.addIssue({ code: 'custom', path: [...found.path], message: found.message, params: { code: 'FJC_SPEC_LITERAL_SECRET' }, input: undefined });
  }
});

export const StreamJobSpecSchema = z
  .strictObject(specShape('stream', 'stream_config', StreamConfigSchema.prefault({})))
  .check(noLiteralSecrets);

export const BatchJobSpecSchema = z
  .strictObject(specShape('batch', 'batch_config', BatchConfigSchema.prefault({})))
  .check(noLiteralSecrets)
  .refine((spec: SpecLike) => spec.deployment?.upgrade_mode === 'stateless', {
    path: ['deployment', 'upgrade_mode'],
    message:
      'must be stateless for a batch job: Flink takes no savepoints of batch jobs, so a new version always starts from the beginning',
    params: { code: 'FJC_SPEC_INVALID_VALUE' },
    when: whenValid('deployment'),
  });

export const JobSpecSchema = z
  .discriminatedUnion('job_type', [StreamJobSpecSchema, BatchJobSpecSchema])
  .meta({
    title: 'FJC job spec',
    description: 'A Flink job as FJC runs it. Unknown fields are errors. Durations: "500ms", "30s", "5m", "1h", "1d" or whole milliseconds; sizes: "512m", "2g" or whole bytes.',
  });

/** A parsed spec: defaults applied, durations in milliseconds, sizes in bytes. */
export type JobSpec = z.output<typeof JobSpecSchema>;
/** A spec as a person may write it. */
export type JobSpecInput = z.input<typeof JobSpecSchema>;
export type StreamJobSpec = z.output<typeof StreamJobSpecSchema>;
export type BatchJobSpec = z.output<typeof BatchJobSpecSchema>;
export type JobType = (typeof JOB_TYPES)[number];
export type UpgradeMode = (typeof UPGRADE_MODES)[number];
export type RestartStrategy = (typeof RESTART_STRATEGIES)[number];
export type DesiredState = (typeof DESIRED_STATES)[number];

/** stream_config.auto_rollback, with its default: on for jobs that keep state. */
export function autoRollbackOf(spec: JobSpec): boolean {
  if (spec.job_type !== 'stream') return false;
  return spec.stream_config.auto_rollback ?? spec.deployment.upgrade_mode !== 'stateless';
}
