// What every spec field does, in one table: the per-job Flink configuration keys and run
// request fields it sets, the warning it produces when a session cluster cannot honour it, what
// FJC itself does with it, and what a change of it needs. flinkSubmission applies exactly this
// table, docs/spec-fields.md is generated from it, and a test checks that every field of the
// schema has a row.
import type { JobSpec } from '../spec/job-spec';
import type { SecretOrText } from '../spec/secret-ref';
import type { SpecWarningCode } from '../spec/spec-error';

export const RUN_REQUEST_FIELDS = ['parallelism', 'entryClass', 'programArgs', 'allowNonRestoredState'] as const;
/** Fields of Flink's POST /jars/:jarid/run body that come from the spec. */
export type RunRequestField = (typeof RUN_REQUEST_FIELDS)[number];

/**
 * What a change of the field needs from the reconciler: nothing on the running job
 * (metadata-only), a new parallelism (rescale), a new submission (redeploy), or nothing here
 * because it is the desired lifecycle state, which the reconciler compares on its own.
 */
export const FIELD_CHANGES = ['metadata-only', 'rescale', 'redeploy', 'desired-state'] as const;
export type FieldChange = (typeof FIELD_CHANGES)[number];

/** One field's contribution to the Flink run request. */
export interface SubmissionPart {
  readonly flinkConfiguration?: Readonly<Record<string, string>>;
  readonly parallelism?: number;
  readonly entryClass?: string;
  /** A {secretRef} item stays a reference here; the deployer resolves it at submit time. */
  readonly programArgs?: readonly SecretOrText[];
  readonly allowNonRestoredState?: boolean;
}

export interface FieldWarning {
  readonly code: SpecWarningCode;
  /** Read after the path: "resources.memory: has no effect on a session cluster: ...". */
  readonly message: string;
  readonly when: (spec: JobSpec) => boolean;
}

export interface FieldEffect {
  readonly path: string;
  /** Per-job flinkConfiguration keys the field may set (all of them, for the docs). */
  readonly flinkKeys?: readonly string[];
  readonly runRequest?: readonly RunRequestField[];
  readonly apply?: (spec: JobSpec) => SubmissionPart;
  /** Other rows whose keys this field decides on (job_type picks the stream-only ones, for example). */
  readonly steers?: readonly string[];
  readonly warning?: FieldWarning;
  /** What FJC itself does with the field. */
  readonly fjc?: string;
  readonly onChange: FieldChange;
  /** A valid value other than the default: tests set it to show the effect, the docs show it. */
  readonly example: unknown;
}

// Flink reads durations with a unit; "ms" is one every duration option accepts.
const millis = (ms: number): string => `${ms} ms`;
const onSession = (why: string): string => `has no effect on a session cluster: ${why}`;

const RESTART_KEYS = {
  'fixed-delay': { attempts: 'restart-strategy.fixed-delay.attempts', delay: 'restart-strategy.fixed-delay.delay' },
  'exponential-delay': {
    attempts: 'restart-strategy.exponential-delay.attempts-before-reset-backoff',
    delay: 'restart-strategy.exponential-delay.initial-backoff',
  },
  'failure-rate': {
    attempts: 'restart-strategy.failure-rate.max-failures-per-interval',
    delay: 'restart-strategy.failure-rate.delay',
  },
} as const;

function restartKey(spec: JobSpec, which: 'attempts' | 'delay'): string | undefined {
  const strategy = spec.deployment.restart_strategy;
  return strategy === 'none' ? undefined : RESTART_KEYS[strategy][which];
}

function streamOnly(spec: JobSpec, part: (s: Extract<JobSpec, { job_type: 'stream' }>) => SubmissionPart): SubmissionPart {
  return spec.job_type === 'stream' ? part(spec) : {};
}

const config = (key: string | undefined, value: string | undefined): SubmissionPart =>
  key === undefined || value === undefined ? {} : { flinkConfiguration: { [key]: value } };

export const FIELD_EFFECTS: readonly FieldEffect[] = [
  {
    path: 'job_id',
    fjc: 'Identity of the job: the key of every Kafka message about it and the name of its spec stream. Every deploy gets a new Flink job id that FJC chooses and records before it submits.',
    onChange: 'redeploy',
    example: 'etl-pipeline-002',
  },
  {
    path: 'namespace',
    fjc: 'RBAC scope the spec-service checks; it never reaches Flink.',
    onChange: 'metadata-only',
    example: 'payments',
  },
  {
    path: 'job_type',
    flinkKeys: ['execution.runtime-mode'],
    apply: (spec) => config('execution.runtime-mode', spec.job_type === 'batch' ? 'BATCH' : 'STREAMING'),
    steers: [
      'deployment.checkpoint_interval',
      'deployment.upgrade_mode',
      'stream_config.checkpoint_timeout',
      'stream_config.min_pause_between_checkpoints',
      'stream_config.max_concurrent_checkpoints',
    ],
    fjc: 'stream jobs are kept running; batch jobs run to completion, once per applied version or on batch_config.cron.',
    onChange: 'redeploy',
    example: 'batch',
  },
  {
    path: 'state',
    fjc: 'Desired lifecycle. running: the reconciler deploys the job and keeps it running. suspended: it stops the job (with a savepoint when upgrade_mode is savepoint, or keeping the last checkpoint for last-state) and keeps the spec, so resuming continues from that state.',
    onChange: 'desired-state',
    example: 'suspended',
  },
  {
    path: 'cluster',
    fjc: 'Picks the Flink session cluster (its REST endpoint is deployment configuration) the deployer submits to. Moving a job stops it on the old cluster and deploys it on the new one.',
    onChange: 'redeploy',
    example: 'analytics',
  },
  {
    path: 'artifact_path',
    fjc: 'The deployer reads the jar (artifact root, file:// or an allow-listed https:// URL), verifies it and uploads it with POST /jars/upload.',
    onChange: 'redeploy',
    example: 'jobs/etl-2.jar',
  },
  {
    path: 'artifact_signature',
    fjc: 'The deployer checks the bytes it will upload against it before any upload: a sha256 digest must match, an ed25519 signature must verify with a key the namespace\'s artifact policy trusts; otherwise the action fails with FJC_ARTIFACT_SIGNATURE_MISMATCH. Optional unless the namespace\'s policy requires it; either way ActionSucceeded records the SHA-256 of the uploaded jar.',
    onChange: 'redeploy',
    example: `sha256:${'ab'.repeat(32)}`,
  },
  {
    path: 'entry_class',
    runRequest: ['entryClass'],
    apply: (spec) => (spec.entry_class === undefined ? {} : { entryClass: spec.entry_class }),
    onChange: 'redeploy',
    example: 'com.example.OtherMain',
  },
  {
    path: 'deployment.parallelism',
    flinkKeys: ['parallelism.default'],
    runRequest: ['parallelism'],
    apply: (spec) => ({
      parallelism: spec.deployment.parallelism,
      flinkConfiguration: { 'parallelism.default': String(spec.deployment.parallelism) },
    }),
    onChange: 'rescale',
    example: 4,
  },
  {
    path: 'deployment.checkpoint_interval',
    flinkKeys: ['execution.checkpointing.interval', 'execution.checkpointing.externalized-checkpoint-retention'],
    apply: (spec) =>
      streamOnly(spec, (s) => ({
        flinkConfiguration: {
          'execution.checkpointing.interval': millis(s.deployment.checkpoint_interval),
          'execution.checkpointing.externalized-checkpoint-retention': 'RETAIN_ON_CANCELLATION',
        },
      })),
    fjc:
      'Not sent for batch jobs: Flink takes no checkpoints in BATCH mode. Every stream job keeps its checkpoints when it is cancelled or lost (RETAIN_ON_CANCELLATION): the deployer records each completed one in the log (JobObserved lastCheckpoint), and when Flink loses the job (a restart without HA) the reconciler starts it again from the newest one. Retained checkpoints stay in the cluster\'s checkpoint directory until someone removes them.',
    onChange: 'redeploy',
    example: '30s',
  },
  {
    path: 'deployment.savepoint_path',
    flinkKeys: ['execution.checkpointing.savepoint-dir'],
    apply: (spec) => config('execution.checkpointing.savepoint-dir', spec.deployment.savepoint_path),
    fjc: 'Also the target directory of every savepoint FJC takes (stop with savepoint, TriggerSavepoint). When absent, the cluster\'s own savepoint directory is used; without one, savepoints fail with FJC_SAVEPOINT_FAILED.',
    onChange: 'redeploy',
    example: 'file:///data/savepoints/etl',
  },
  {
    path: 'deployment.restart_strategy',
    flinkKeys: ['restart-strategy.type'],
    apply: (spec) => config('restart-strategy.type', spec.deployment.restart_strategy),
    steers: ['deployment.max_restart_attempts', 'deployment.restart_delay'],
    onChange: 'redeploy',
    example: 'exponential-delay',
  },
  {
    path: 'deployment.max_restart_attempts',
    flinkKeys: Object.values(RESTART_KEYS).map((keys) => keys.attempts),
    apply: (spec) => config(restartKey(spec, 'attempts'), String(spec.deployment.max_restart_attempts)),
    fjc: 'The key follows restart_strategy: fixed-delay attempts, exponential-delay attempts before the backoff resets, failure-rate failures per interval (Flink\'s default interval of 1 min). Not sent with none.',
    onChange: 'redeploy',
    example: 5,
  },
  {
    path: 'deployment.restart_delay',
    flinkKeys: Object.values(RESTART_KEYS).map((keys) => keys.delay),
    apply: (spec) => config(restartKey(spec, 'delay'), millis(spec.deployment.restart_delay)),
    fjc: 'The key follows restart_strategy: the fixed delay, the initial backoff of exponential-delay, or the failure-rate delay. Not sent with none.',
    onChange: 'redeploy',
    example: '30s',
  },
  {
    path: 'deployment.upgrade_mode',
    fjc: 'How the reconciler moves a running job to a new version: stateless cancels and starts fresh; savepoint stops with a savepoint (with its own triggerId) and starts from it; last-state cancels and starts from the latest retained checkpoint (see deployment.checkpoint_interval); without one the upgrade is refused with FJC_STATE_NOT_FOUND and the job goes NEEDS_ATTENTION, never silently stateless. A job with savepoint or last-state has state: when Flink loses it and no checkpoint or savepoint is known, it goes NEEDS_ATTENTION (FJC_STATE_NOT_FOUND) until `fjc recover` says how to start it. Batch jobs must be stateless.',
    onChange: 'redeploy',
    example: 'last-state',
  },
  {
    path: 'deployment.allow_non_restored_state',
    runRequest: ['allowNonRestoredState'],
    apply: (spec) => ({ allowNonRestoredState: spec.deployment.allow_non_restored_state }),
    fjc: 'Read only when a deploy restores from a savepoint or checkpoint, so a change waits for the next upgrade.',
    onChange: 'metadata-only',
    example: true,
  },
  {
    path: 'resources.memory',
    warning: {
      code: 'FJC_SPEC_CLUSTER_LEVEL',
      message: onSession(
        'process memory (taskmanager.memory.process.size, jobmanager.memory.process.size) is fixed when the cluster starts; size the cluster instead',
      ),
      when: (spec) => spec.resources.memory !== undefined,
    },
    onChange: 'metadata-only',
    example: '2g',
  },
  {
    path: 'resources.cpu_cores',
    warning: {
      code: 'FJC_SPEC_CLUSTER_LEVEL',
      message: onSession(
        'CPU cores and task slots (taskmanager.cpu.cores, taskmanager.numberOfTaskSlots) belong to each TaskManager; deployment.parallelism chooses how many slots the job takes',
      ),
      when: (spec) => spec.resources.cpu_cores !== undefined,
    },
    onChange: 'metadata-only',
    example: 2,
  },
  {
    path: 'resources.network_memory',
    warning: {
      code: 'FJC_SPEC_CLUSTER_LEVEL',
      message: onSession('network memory (taskmanager.memory.network.*) is fixed when each TaskManager starts'),
      when: (spec) => spec.resources.network_memory !== undefined,
    },
    onChange: 'metadata-only',
    example: '256m',
  },
  {
    path: 'security.kerberos_principal',
    warning: {
      code: 'FJC_SPEC_CLUSTER_LEVEL',
      message: onSession(
        'the Kerberos login (security.kerberos.login.principal and keytab) is made by each Flink process when it starts, so every job runs as the cluster\'s principal',
      ),
      when: (spec) => spec.security.kerberos_principal !== undefined,
    },
    onChange: 'metadata-only',
    example: 'etl/worker@EXAMPLE.COM',
  },
  {
    path: 'security.ssl_enabled',
    warning: {
      code: 'FJC_SPEC_CLUSTER_LEVEL',
      message: onSession(
        'TLS for Flink\'s internal and REST connections (security.ssl.internal.enabled, security.ssl.rest.enabled) is configured when the cluster starts',
      ),
      when: (spec) => spec.security.ssl_enabled,
    },
    onChange: 'metadata-only',
    example: true,
  },
  {
    path: 'security.artifact_verification',
    warning: {
      code: 'FJC_SPEC_ARTIFACT_UNVERIFIED',
      message: 'is false: the jar will be uploaded to Flink without checking its SHA-256',
      when: (spec) => !spec.security.artifact_verification,
    },
    fjc: 'When true, the deployer refuses a jar that does not match artifact_signature. A namespace whose artifact policy requires a digest or signature refuses false (FJC_SPEC_VERIFICATION_REQUIRED).',
    onChange: 'metadata-only',
    example: false,
  },
  {
    path: 'monitoring.metrics_port',
    warning: {
      code: 'FJC_SPEC_CLUSTER_LEVEL',
      message: onSession(
        'metric reporters and their ports (metrics.reporter.<name>.port) belong to the cluster\'s processes, which all jobs share',
      ),
      when: (spec) => spec.monitoring.metrics_port !== undefined,
    },
    onChange: 'metadata-only',
    example: 9249,
  },
  {
    path: 'monitoring.log_level',
    warning: {
      code: 'FJC_SPEC_CLUSTER_LEVEL',
      message: onSession('log levels come from the cluster\'s log4j configuration; Flink has no per-job log level'),
      when: (spec) => spec.monitoring.log_level !== undefined,
    },
    onChange: 'metadata-only',
    example: 'DEBUG',
  },
  {
    path: 'monitoring.alert_on_failure',
    fjc: 'When the job reaches FAILED, the reconciler\'s LifecycleChanged event carries alert: true.',
    onChange: 'metadata-only',
    example: false,
  },
  {
    path: 'monitoring.alert_on_backpressure',
    fjc: 'The deployer samples back pressure when it observes the job (JobObserved.backpressure); the reconciler raises an alert when it is high.',
    onChange: 'metadata-only',
    example: true,
  },
  {
    path: 'args',
    runRequest: ['programArgs'],
    apply: (spec) => ({ programArgs: spec.args }),
    fjc:
      'Sent as programArgsList, one list item per argument, so no quoting is needed. A {secretRef: <name>} item is resolved by the deployer at submit time (FJC_SECRETS_DIR/<name> or FJC_SECRET_<NAME>); only the name is stored. The name starts with the namespace of the spec ("team-a/...") or a prefix the operators grant it (FJC_SECRET_OUT_OF_NAMESPACE otherwise). A literal after a secret-looking flag (--password x, --api-key=x) is refused with FJC_SPEC_LITERAL_SECRET.',
    onChange: 'redeploy',
    example: ['--mode', 'stream', '--rate', '50'],
  },
  {
    path: 'env_vars',
    warning: {
      code: 'FJC_SPEC_CLUSTER_LEVEL',
      message: onSession(
        'the environment of the TaskManager processes is fixed when they start (containerized.taskmanager.env.* applies only to YARN and Kubernetes deployments); pass values as args instead',
      ),
      when: (spec) => Object.keys(spec.env_vars).length > 0,
    },
    fjc: 'A value may be {secretRef: <name>}: the deployer resolves it at submit time (a missing secret fails the action with FJC_SECRET_NOT_FOUND); only the name is stored. The name starts with the namespace of the spec or a prefix the operators grant it (FJC_SECRET_OUT_OF_NAMESPACE otherwise). A literal under a secret-looking name (PASSWORD, SECRET, TOKEN, KEY, CREDENTIAL) is refused with FJC_SPEC_LITERAL_SECRET.',
    onChange: 'metadata-only',
    example: { TZ: 'Europe/Berlin' },
  },
  {
    path: 'non_secret_keys',
    fjc: 'Validation only: literal values under these env_vars names and argument flags are allowed although the names look secret.',
    onChange: 'metadata-only',
    example: ['SORT_KEY', '--key-by'],
  },
  {
    path: 'batch_config.cron',
    fjc: 'The scheduler emits one ScheduleTick per scheduled time (exactly once); each tick starts a run. Without cron the job runs once per applied version.',
    onChange: 'metadata-only',
    example: '30 1 * * *',
  },
  {
    path: 'batch_config.timezone',
    fjc: 'The scheduler reads cron in this time zone, so "0 2 * * *" follows daylight saving time.',
    onChange: 'metadata-only',
    example: 'Europe/Berlin',
  },
  {
    path: 'batch_config.max_runs',
    fjc: 'The scheduler stops after this many ticks (ScheduleTick.runNumber). Once the last run has started and no run of the job goes on or waits for a retry, the reconciler asks the deployer, once, for a CleanUp of the runs started since the last one: it deletes their jar from the cluster (DELETE /jars/:jarid) unless another job or open action there uses it, and prunes its records of those runs (ActionSucceeded counts jarsDeleted and runsPruned). The job keeps showing how its last run ended (FINISHED or FAILED). A new version with a higher max_runs cleans up its further runs the same way.',
    onChange: 'metadata-only',
    example: 10,
  },
  {
    path: 'batch_config.ttl_seconds',
    fjc: 'The reconciler records a run still going after this long as BatchRunExpired (the job shows FAILED with FJC_BATCH_TTL_EXCEEDED once it ended), stops it with a savepoint, and cancels it if Flink refuses that stop (a BATCH-mode program) or it has not ended within 30 s.',
    onChange: 'metadata-only',
    example: 7200,
  },
  {
    path: 'batch_config.completion_timeout_seconds',
    fjc: 'The reconciler records a run Flink has not reported ended this long after it started as BatchRunExpired and cancels it at once (no savepoint); the job shows FAILED with FJC_BATCH_COMPLETION_TIMEOUT.',
    onChange: 'metadata-only',
    example: 900,
  },
  {
    path: 'batch_config.retry.max_attempts',
    fjc: 'The reconciler starts a scheduled run whose Flink job FAILED again (BatchRunRetried: attempt n of max_attempts, same run number) until this many attempts have failed; ticks due meanwhile wait for the retry.',
    onChange: 'metadata-only',
    example: 3,
  },
  {
    path: 'batch_config.retry.backoff_seconds',
    fjc: 'The reconciler waits this long after a failed attempt before the next (BatchRunRetried.retryAt).',
    onChange: 'metadata-only',
    example: 120,
  },
  {
    path: 'batch_config.cleanup_on_completion',
    fjc: 'When a run ends, the deployer deletes the uploaded jar from the cluster (DELETE /jars/:jarid).',
    onChange: 'metadata-only',
    example: true,
  },
  {
    path: 'batch_config.concurrency_policy',
    fjc: 'When a tick arrives while the previous run still goes: allow starts another run, forbid skips the tick, replace cancels the old run first.',
    onChange: 'metadata-only',
    example: 'replace',
  },
  {
    path: 'batch_config.starting_deadline_seconds',
    fjc: 'The scheduler skips a tick it could not deliver within this many seconds of its time. After an outage only the latest missed time is a candidate (earlier ones are always passed over); this deadline decides whether it still runs.',
    onChange: 'metadata-only',
    example: 600,
  },
  {
    path: 'batch_config.sla.deadline',
    fjc: 'The reconciler looks at each run at its deadline (the first HH:MM in batch_config.timezone at or after the scheduled time): a run not FINISHED by then is recorded once as SlaMissed (objective deadline), counted in fjc_sla_missed_total and raises FjcSlaMissed.',
    onChange: 'metadata-only',
    example: '06:00',
  },
  {
    path: 'batch_config.sla.within',
    fjc: 'As deadline, with the run due this long after its scheduled time (objective within).',
    onChange: 'metadata-only',
    example: '2h',
  },
  {
    path: 'stream_config.savepoint_trigger_interval',
    fjc: 'FJC-driven periodic savepoints: Flink (1.20 and 2.x) has no per-job periodic savepoint option, so the reconciler asks the deployer for a TriggerSavepoint (with its own triggerId) this often while the job runs.',
    onChange: 'metadata-only',
    example: '6h',
  },
  {
    path: 'stream_config.checkpoint_timeout',
    flinkKeys: ['execution.checkpointing.timeout'],
    apply: (spec) => streamOnly(spec, (s) => config('execution.checkpointing.timeout', millis(s.stream_config.checkpoint_timeout))),
    onChange: 'redeploy',
    example: '2m',
  },
  {
    path: 'stream_config.min_pause_between_checkpoints',
    flinkKeys: ['execution.checkpointing.min-pause'],
    apply: (spec) =>
      streamOnly(spec, (s) => config('execution.checkpointing.min-pause', millis(s.stream_config.min_pause_between_checkpoints))),
    onChange: 'redeploy',
    example: '5s',
  },
  {
    path: 'stream_config.max_concurrent_checkpoints',
    flinkKeys: ['execution.checkpointing.max-concurrent-checkpoints'],
    apply: (spec) =>
      streamOnly(spec, (s) => config('execution.checkpointing.max-concurrent-checkpoints', String(s.stream_config.max_concurrent_checkpoints))),
    onChange: 'redeploy',
    example: 2,
  },
  {
    path: 'stream_config.stability.min_running_time',
    fjc: 'Stability gate: a new version is a candidate until its Flink job has been RUNNING this long without a restart (and passed the other gates); only then does the reconciler append StabilityConfirmed and move lastStableVersion.',
    onChange: 'metadata-only',
    example: '2m',
  },
  {
    path: 'stream_config.stability.min_checkpoints',
    fjc: 'Stability gate: completed checkpoints of the candidate\'s Flink job, as the deployer reads them from GET /jobs/{id}/checkpoints.',
    onChange: 'metadata-only',
    example: 3,
  },
  {
    path: 'stream_config.stability.max_restarts',
    fjc: 'Stability gate: restarts of the candidate\'s Flink job (Flink\'s numRestarts); one more fails the candidate at once.',
    onChange: 'metadata-only',
    example: 1,
  },
  {
    path: 'stream_config.stability.deadline',
    fjc: 'A candidate that has not passed every gate this long after its job started fails (FJC_STABILITY_GATE_TIMEOUT) and, with auto_rollback, is rolled back.',
    onChange: 'metadata-only',
    example: '15m',
  },
  {
    path: 'stream_config.stability.min_records_out_per_second',
    fjc: 'Stability gate: the job\'s sources\' output rate as the deployer reads it from Flink\'s metrics must be above this.',
    onChange: 'metadata-only',
    example: 0,
  },
  {
    path: 'stream_config.stability.max_backpressure',
    fjc: 'Stability gate: the back-pressure level the deployer samples must be at most this when the candidate passes.',
    onChange: 'metadata-only',
    example: 'low',
  },
  {
    path: 'stream_config.auto_rollback',
    fjc: 'A candidate that fails its gates or whose job fails is rolled back to the last stable version, from the savepoint (or, for last-state, the checkpoint) that version left when it stopped; RollbackStarted and RollbackCompleted record it, the failed version is not tried again until a new one is applied, and the alert flag is raised.',
    onChange: 'metadata-only',
    example: false,
  },
  {
    path: 'stream_config.restart_budget.max_restarts',
    fjc: 'FJC\'s own restart budget: more restarts than this within window mark the job unhealthy (JobUnhealthy) and trigger the remedy.',
    onChange: 'metadata-only',
    example: 3,
  },
  {
    path: 'stream_config.restart_budget.window',
    fjc: 'The sliding window of the restart budget.',
    onChange: 'metadata-only',
    example: '5m',
  },
  {
    path: 'stream_config.restart_budget.remedy',
    fjc: 'redeploy: cancel the job and start it again from its newest retained checkpoint or savepoint; rollback: roll back to the last stable version (redeploy when it is the one running); alert: raise the alert flag only.',
    onChange: 'metadata-only',
    example: 'rollback',
  },
  {
    path: 'stream_config.savepoint_retention.keep_last',
    fjc: 'Savepoints FJC recorded for the job beyond the newest keep_last are disposed of through Flink (POST /savepoint-disposal), except the one a rollback to the last stable version needs.',
    onChange: 'metadata-only',
    example: 2,
  },
  {
    path: 'stream_config.savepoint_retention.max_age',
    fjc: 'Savepoints younger than this are kept even beyond keep_last.',
    onChange: 'metadata-only',
    example: '7d',
  },
  {
    path: 'stream_config.sla.availability',
    fjc: 'The reconciler adds up the time the job is RUNNING in Flink in each window; a window that ends below this share is recorded once as SlaMissed (objective availability), counted in fjc_sla_missed_total and raises FjcSlaMissed.',
    onChange: 'metadata-only',
    example: 99.5,
  },
  {
    path: 'stream_config.sla.window',
    fjc: 'Length of the availability windows, aligned to the Unix epoch so every replica and a rebuild agree on them.',
    onChange: 'metadata-only',
    example: '1h',
  },
  {
    path: 'advanced.classloader_resolve_order',
    flinkKeys: ['classloader.resolve-order'],
    apply: (spec) => config('classloader.resolve-order', spec.advanced.classloader_resolve_order),
    warning: {
      code: 'FJC_SPEC_PARTIAL_EFFECT',
      message:
        'applies only where the job\'s main() runs (the JobManager, while it builds the job graph); the TaskManagers of a session cluster load task code with the cluster\'s classloader.resolve-order',
      when: (spec) => spec.advanced.classloader_resolve_order !== undefined,
    },
    onChange: 'redeploy',
    example: 'parent-first',
  },
  {
    path: 'advanced.classloader_cache_mode',
    warning: {
      code: 'FJC_SPEC_UNSUPPORTED_VALUE',
      message: onSession('Flink always gives each job its own user-code class loader there, so "shared" cannot be honoured'),
      when: (spec) => spec.advanced.classloader_cache_mode === 'shared',
    },
    fjc: 'per-job is what a session cluster does anyway, so it needs no setting.',
    onChange: 'metadata-only',
    example: 'shared',
  },
  {
    path: 'advanced.network_buffer_timeout',
    flinkKeys: ['execution.buffer-timeout.interval'],
    apply: (spec) => {
      const timeout = spec.advanced.network_buffer_timeout;
      return config('execution.buffer-timeout.interval', timeout === undefined ? undefined : millis(timeout));
    },
    onChange: 'redeploy',
    example: '50ms',
  },
  {
    path: 'advanced.taskmanager_heap_size',
    warning: {
      code: 'FJC_SPEC_CLUSTER_LEVEL',
      message: onSession('task heap memory (taskmanager.memory.task.heap.size) is fixed when each TaskManager starts'),
      when: (spec) => spec.advanced.taskmanager_heap_size !== undefined,
    },
    onChange: 'metadata-only',
    example: '4g',
  },
  {
    path: 'labels',
    fjc: 'Metadata for people and tools: shown and filterable in the API and CLI, never sent to Flink.',
    onChange: 'metadata-only',
    example: { team: 'data-platform' },
  },
];

/** The Flink lines FJC supports; which one a cluster runs is read from its REST API. */
export const FLINK_LINES = ['1.20', '2.x'] as const;
export type FlinkLine = (typeof FLINK_LINES)[number];

/** The line of a version string as GET /config reports it ("1.20.5", "2.3.0"); null when unsupported. */
export function flinkLineOf(version: string): FlinkLine | null {
  if (/^1\.20([.-]|$)/.test(version)) return '1.20';
  if (/^2\.\d+([.-]|$)/.test(version)) return '2.x';
  return null;
}

export interface FlinkKeySupport {
  /** The lines that read this key. */
  readonly lines: readonly FlinkLine[];
  /** A deprecated name of the same option that Flink 2.0 removed; FJC never sends it. */
  readonly replaces?: string;
}

/**
 * Every per-job configuration key FJC sends, and the Flink lines that read it: where the config
 * keys of 1.20 and 2.x differ, it is said here and nowhere else. Flink 2.0 removed the deprecated
 * names (`state.savepoints.dir`, `execution.buffer-timeout`, ...); FJC sends only the names 1.20
 * introduced for them, which 2.x reads too, so today one key serves both lines. A test checks
 * that every key of the table above is listed here, and test/stack/flink.int.spec.ts shows the
 * running Flink honouring them on each line.
 */
export const FLINK_KEY_SUPPORT: Readonly<Record<string, FlinkKeySupport>> = {
  'execution.runtime-mode': { lines: ['1.20', '2.x'] },
  'parallelism.default': { lines: ['1.20', '2.x'] },
  'execution.checkpointing.interval': { lines: ['1.20', '2.x'] },
  'execution.checkpointing.savepoint-dir': { lines: ['1.20', '2.x'], replaces: 'state.savepoints.dir' },
  'execution.checkpointing.externalized-checkpoint-retention': { lines: ['1.20', '2.x'] },
  'execution.checkpointing.timeout': { lines: ['1.20', '2.x'] },
  'execution.checkpointing.min-pause': { lines: ['1.20', '2.x'] },
  'execution.checkpointing.max-concurrent-checkpoints': { lines: ['1.20', '2.x'] },
  'restart-strategy.type': { lines: ['1.20', '2.x'], replaces: 'restart-strategy' },
  'restart-strategy.fixed-delay.attempts': { lines: ['1.20', '2.x'] },
  'restart-strategy.fixed-delay.delay': { lines: ['1.20', '2.x'] },
  'restart-strategy.exponential-delay.attempts-before-reset-backoff': { lines: ['1.20', '2.x'] },
  'restart-strategy.exponential-delay.initial-backoff': { lines: ['1.20', '2.x'] },
  'restart-strategy.failure-rate.max-failures-per-interval': { lines: ['1.20', '2.x'] },
  'restart-strategy.failure-rate.delay': { lines: ['1.20', '2.x'] },
  'classloader.resolve-order': { lines: ['1.20', '2.x'] },
  'execution.buffer-timeout.interval': { lines: ['1.20', '2.x'], replaces: 'execution.buffer-timeout' },
};

/** The keys of a run request's flinkConfiguration that the given Flink version does not read (none expected). */
export function keysUnreadBy(flinkVersion: string, flinkConfiguration: Readonly<Record<string, string>>): string[] {
  const line = flinkLineOf(flinkVersion);
  return Object.keys(flinkConfiguration).filter((key) => line === null || !(FLINK_KEY_SUPPORT[key]?.lines ?? []).includes(line));
}

const BY_PATH = new Map(FIELD_EFFECTS.map((effect) => [effect.path, effect]));

export function fieldEffect(path: string): FieldEffect | undefined {
  return BY_PATH.get(path);
}
