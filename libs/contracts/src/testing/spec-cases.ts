// Test data for spec tests: minimal valid specs, and tables of valid and invalid values per
// field from which the tests generate hundreds of specs. Not part of the built library.
import type { SpecErrorCode } from '../spec/spec-error';

export const SIGNATURE = `sha256:${'0123456789abcdef'.repeat(4)}`;

export function streamSpec(): Record<string, unknown> {
  return { job_id: 'orders-enricher', job_type: 'stream', artifact_path: 'jobs/orders.jar', artifact_signature: SIGNATURE };
}

export function batchSpec(): Record<string, unknown> {
  return { job_id: 'nightly-report', job_type: 'batch', artifact_path: 'jobs/report.jar', artifact_signature: SIGNATURE };
}

/** The minimal spec a field belongs to: batch_config fields need a batch job. */
export function baseFor(path: string): Record<string, unknown> {
  return path.startsWith('batch_config') ? batchSpec() : streamSpec();
}

/** Marks a field to be removed instead of set. */
export const ABSENT = Symbol('absent');

/** A deep copy of `spec` with the field at a dotted path set (or removed with ABSENT). */
export function withField(spec: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(spec);
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (value === ABSENT) delete node[last];
  else node[last] = value;
  return copy;
}

/** Values every field accepts (other than job_type, which picks the variant). */
export const VALID_VALUES: Readonly<Record<string, readonly unknown[]>> = {
  job_id: ['a', '0', 'etl-pipeline-001', '9lives', 'a'.repeat(63), 'x-1-2-'],
  namespace: ['default', 'team-a', 'p9'],
  state: ['running', 'suspended'],
  cluster: ['default', 'analytics-2'],
  artifact_path: [
    'jobs/etl.jar',
    'infra/flink-test-job/target/fjc-test-job.jar',
    './etl.jar',
    'file:///opt/jobs/etl.jar',
    'https://artifacts.example.com/etl/1.2.0/etl.jar',
  ],
  artifact_signature: [SIGNATURE, SIGNATURE.toUpperCase().replace('SHA256', 'sha256'), `sha256:${'f'.repeat(64)}`, `ed25519:${'A'.repeat(86)}==`, ABSENT],
  entry_class: ['Main', 'dev.fjc.testjob.TestJob', 'com.example.Outer$Inner', '_x.y'],
  'deployment.parallelism': [1, 2, 17, 32768],
  'deployment.checkpoint_interval': ['10ms', '500ms', '30s', '30 s', '5m', '5min', '1h', '1d', '7d', 60000, 10],
  'deployment.savepoint_path': ['file:///data/savepoints', 's3://bucket/savepoints', 'hdfs://nn:8020/sp', '/abs/dir'],
  'deployment.restart_strategy': ['fixed-delay', 'exponential-delay', 'failure-rate', 'none'],
  'deployment.max_restart_attempts': [0, 3, 2147483647],
  'deployment.restart_delay': ['0ms', 0, '1s', '1d', 250],
  'deployment.upgrade_mode': ['stateless', 'savepoint', 'last-state'],
  'deployment.allow_non_restored_state': [true, false],
  'resources.memory': ['2g', '512m', '1024mb', '1gb', '1GiB', '1 g', '16t', 1048576],
  'resources.cpu_cores': [0.5, 1, 4, 1024],
  'resources.network_memory': ['256m', '1g', '1m'],
  'security.kerberos_principal': ['flink@EXAMPLE.COM', 'etl/host.example.com@EXAMPLE.COM'],
  'security.ssl_enabled': [true, false],
  'security.artifact_verification': [true, false],
  'monitoring.metrics_port': [1, 9249, 65535],
  'monitoring.log_level': ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'],
  'monitoring.alert_on_failure': [true, false],
  'monitoring.alert_on_backpressure': [true, false],
  args: [
    [],
    ['--mode', 'stream'],
    ['a b', ''],
    ['--rate', '20', '--keys', '8'],
    ['--password', { secretRef: 'orders-db/password' }],
    ['--use-token-auth', '--api-key=', '--monkey', 'x', '--db.password', '--mode'],
  ],
  env_vars: [
    {},
    { A: '1' },
    { _X: '' },
    { PATH_2: 'x', TZ: 'UTC' },
    { DB_PASSWORD: { secretRef: 'orders-db/password' }, API_TOKEN: { secretRef: 'api_token' } },
    { DB_PASSWORD_FILE: '/etc/secrets/db', KEYS: '8', MONKEY: 'x', DB_PASSWORD: '' },
  ],
  non_secret_keys: [[], ['SORT_KEY', '--key-by']],
  labels: [{}, { team: 'data' }, { 'app.kubernetes.io/name': 'etl' }, { a: '' }, { 'cost-center': 'x'.repeat(256) }],
  'batch_config.cron': ['0 2 * * *', '*/5 * * * *', '0 0 2 * * *', '@daily', '0 9 * * MON-FRI', '0 0 1 1 *', '15 3 29 2 *'],
  'batch_config.timezone': ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Etc/GMT+2'],
  'batch_config.max_runs': [1, 100],
  'batch_config.ttl_seconds': [1, 86400],
  'batch_config.completion_timeout_seconds': [1, 900],
  'batch_config.retry.max_attempts': [1, 3, 100],
  'batch_config.retry.backoff_seconds': [0, 120, 86400],
  'batch_config.cleanup_on_completion': [true, false],
  'batch_config.concurrency_policy': ['allow', 'forbid', 'replace'],
  'batch_config.starting_deadline_seconds': [1, 300],
  'stream_config.savepoint_trigger_interval': ['10s', '1m', '6h', '30d', 600000],
  'stream_config.checkpoint_timeout': ['10ms', '10m', '7d'],
  'stream_config.min_pause_between_checkpoints': ['0ms', 0, '5s'],
  'stream_config.max_concurrent_checkpoints': [1, 3, 1000],
  'advanced.classloader_resolve_order': ['child-first', 'parent-first'],
  'advanced.classloader_cache_mode': ['per-job', 'shared'],
  'advanced.network_buffer_timeout': ['0ms', '100ms', '1h', 5],
  'advanced.taskmanager_heap_size': ['4g', '1m', '1536m'],
};

export interface InvalidCase {
  readonly path: string;
  readonly value: unknown;
  readonly code: SpecErrorCode;
  /** Where the error is reported when not at `path` itself (a list item, a mapping key). */
  readonly errorPath?: string;
}

const cases = (path: string, code: SpecErrorCode, ...values: unknown[]): InvalidCase[] => values.map((value) => ({ path, value, code }));

export const INVALID_CASES: readonly InvalidCase[] = [
  ...cases('job_id', 'FJC_SPEC_INVALID_FORMAT', '', 'ETL', '-a', 'a'.repeat(64), 'a_b', 'a.b', ' a'),
  ...cases('job_id', 'FJC_SPEC_INVALID_TYPE', 5, null, true, ['a']),
  ...cases('job_id', 'FJC_SPEC_REQUIRED', ABSENT),
  ...cases('namespace', 'FJC_SPEC_INVALID_FORMAT', 'Team', 'a b', ''),
  ...cases('namespace', 'FJC_SPEC_INVALID_TYPE', 7),
  ...cases('state', 'FJC_SPEC_INVALID_VALUE', 'paused', 'Running', true, ''),
  ...cases('cluster', 'FJC_SPEC_INVALID_FORMAT', 'my cluster', 'Prod'),
  ...cases(
    'artifact_path',
    'FJC_SPEC_INVALID_ARTIFACT_PATH',
    '/abs/etl.jar',
    'http://artifacts.example.com/etl.jar',
    's3://bucket/etl.jar',
    '../etl.jar',
    'jobs/../../etl.jar',
    'jobs/etl.zip',
    'file://host/opt/etl.jar',
    'file:///opt/etl.zip',
    'https://user:secret@artifacts.example.com/etl.jar',
    'https://artifacts.example.com/etl',
    'jobs\\etl.jar',
    '',
    '   ',
  ),
  ...cases('artifact_path', 'FJC_SPEC_REQUIRED', ABSENT),
  ...cases('artifact_path', 'FJC_SPEC_INVALID_TYPE', 5, {}),
  ...cases(
    'artifact_signature',
    'FJC_SPEC_INVALID_FORMAT',
    'sha256:abc',
    `md5:${'a'.repeat(64)}`,
    `${SIGNATURE}0`,
    `sha256:${'g'.repeat(64)}`,
    'a'.repeat(64),
    `SHA256:${'a'.repeat(64)}`,
    `ed25519:${'A'.repeat(86)}`,
    `ED25519:${'A'.repeat(86)}==`,
  ),
  ...cases('artifact_signature', 'FJC_SPEC_INVALID_TYPE', 1),
  ...cases('entry_class', 'FJC_SPEC_INVALID_FORMAT', 'com..Main', '1Main', 'com.example.', 'a b', ''),
  ...cases('deployment', 'FJC_SPEC_INVALID_TYPE', 5, [], 'fast', null),
  ...cases('deployment.parallelism', 'FJC_SPEC_OUT_OF_RANGE', 0, -1, 32769),
  ...cases('deployment.parallelism', 'FJC_SPEC_INVALID_TYPE', 1.5, '2', null),
  ...cases('deployment.checkpoint_interval', 'FJC_SPEC_OUT_OF_RANGE', '5ms', '8d', -5, 9),
  ...cases('deployment.checkpoint_interval', 'FJC_SPEC_INVALID_DURATION', '30x', '1.5s', '-1s', '', '30S', 'PT30S', '30  s'),
  ...cases('deployment.checkpoint_interval', 'FJC_SPEC_INVALID_TYPE', 1.5, true, [30]),
  ...cases('deployment.savepoint_path', 'FJC_SPEC_INVALID_FORMAT', 'relative/dir', '', 'file:/x'),
  ...cases('deployment.restart_strategy', 'FJC_SPEC_INVALID_VALUE', 'fixed', 'none ', 'exponential'),
  ...cases('deployment.max_restart_attempts', 'FJC_SPEC_OUT_OF_RANGE', -1, 2147483648),
  ...cases('deployment.max_restart_attempts', 'FJC_SPEC_INVALID_TYPE', 'x'),
  ...cases('deployment.restart_delay', 'FJC_SPEC_OUT_OF_RANGE', '2d', -1),
  ...cases('deployment.restart_delay', 'FJC_SPEC_INVALID_DURATION', '10 seconds'),
  ...cases('deployment.upgrade_mode', 'FJC_SPEC_INVALID_VALUE', 'last_state', 'savepoints', 'STATELESS'),
  ...cases('deployment.allow_non_restored_state', 'FJC_SPEC_INVALID_TYPE', 'yes', 1),
  ...cases('resources', 'FJC_SPEC_INVALID_TYPE', 'big'),
  ...cases('resources.memory', 'FJC_SPEC_INVALID_SIZE', '1.5g', '2x', '', 'g'),
  ...cases('resources.memory', 'FJC_SPEC_OUT_OF_RANGE', '0', 1024, '17t', -1, '1023k'),
  ...cases('resources.cpu_cores', 'FJC_SPEC_OUT_OF_RANGE', 0, -1, 1025),
  ...cases('resources.cpu_cores', 'FJC_SPEC_INVALID_TYPE', '2'),
  ...cases('resources.network_memory', 'FJC_SPEC_INVALID_SIZE', 'lots'),
  ...cases('security.kerberos_principal', 'FJC_SPEC_INVALID_FORMAT', 'flink', 'a@b@c', 'x y@R', 'a/b/c@R'),
  ...cases('security.ssl_enabled', 'FJC_SPEC_INVALID_TYPE', 'true'),
  ...cases('security.artifact_verification', 'FJC_SPEC_INVALID_TYPE', 'no', 0),
  ...cases('monitoring.metrics_port', 'FJC_SPEC_OUT_OF_RANGE', 0, 65536),
  ...cases('monitoring.metrics_port', 'FJC_SPEC_INVALID_TYPE', 80.5, '9249'),
  ...cases('monitoring.log_level', 'FJC_SPEC_INVALID_VALUE', 'info', 'VERBOSE', 3),
  ...cases('monitoring.alert_on_failure', 'FJC_SPEC_INVALID_TYPE', 'yes'),
  ...cases('monitoring.alert_on_backpressure', 'FJC_SPEC_INVALID_TYPE', 'no'),
  ...cases('args', 'FJC_SPEC_INVALID_TYPE', '--mode stream', { a: 1 }),
  ...cases('args', 'FJC_SPEC_OUT_OF_RANGE', Array.from({ length: 1001 }, () => 'x')),
  { path: 'args', value: ['--rate', 20], code: 'FJC_SPEC_INVALID_TYPE', errorPath: 'args[1]' },
  { path: 'args', value: [null], code: 'FJC_SPEC_INVALID_TYPE', errorPath: 'args[0]' },
  ...cases('env_vars', 'FJC_SPEC_INVALID_TYPE', ['A=1'], 'A=1'),
  { path: 'env_vars', value: { '1A': 'x' }, code: 'FJC_SPEC_INVALID_FORMAT', errorPath: 'env_vars["1A"]' },
  { path: 'env_vars', value: { 'MY-VAR': 'x' }, code: 'FJC_SPEC_INVALID_FORMAT', errorPath: 'env_vars.MY-VAR' },
  { path: 'env_vars', value: { A: 1 }, code: 'FJC_SPEC_INVALID_TYPE', errorPath: 'env_vars.A' },
  // Literal values under secret-looking names, and malformed references.
  { path: 'env_vars', value: { DB_PASSWORD: 'hunter2' }, code: 'FJC_SPEC_LITERAL_SECRET', errorPath: 'env_vars.DB_PASSWORD' },
  { path: 'env_vars', value: { apiToken: 'x' }, code: 'FJC_SPEC_LITERAL_SECRET', errorPath: 'env_vars.apiToken' },
  { path: 'env_vars', value: { AWS_SECRET_ACCESS_KEY: 'x' }, code: 'FJC_SPEC_LITERAL_SECRET', errorPath: 'env_vars.AWS_SECRET_ACCESS_KEY' },
  { path: 'env_vars', value: { KAFKA_CREDENTIAL: 'x' }, code: 'FJC_SPEC_LITERAL_SECRET', errorPath: 'env_vars.KAFKA_CREDENTIAL' },
  { path: 'env_vars', value: { SORT_KEY: 'by-date' }, code: 'FJC_SPEC_LITERAL_SECRET', errorPath: 'env_vars.SORT_KEY' },
  { path: 'args', value: ['--mode', 'stream', '--password', 'hunter2'], code: 'FJC_SPEC_LITERAL_SECRET', errorPath: 'args[3]' },
  { path: 'args', value: ['--api-key=abc'], code: 'FJC_SPEC_LITERAL_SECRET', errorPath: 'args[0]' },
  { path: 'args', value: ['-token', 'abc'], code: 'FJC_SPEC_LITERAL_SECRET', errorPath: 'args[1]' },
  { path: 'env_vars', value: { DB_PASSWORD: { secretRef: '../etc/passwd' } }, code: 'FJC_SPEC_INVALID_FORMAT', errorPath: 'env_vars.DB_PASSWORD.secretRef' },
  { path: 'args', value: [{ secretRef: '/abs' }], code: 'FJC_SPEC_INVALID_FORMAT', errorPath: 'args[0].secretRef' },
  { path: 'args', value: [{ secretRef: 'a', key: 'b' }], code: 'FJC_SPEC_INVALID_TYPE', errorPath: 'args[0]' },
  ...cases('non_secret_keys', 'FJC_SPEC_INVALID_TYPE', 'SORT_KEY'),
  { path: 'non_secret_keys', value: [1], code: 'FJC_SPEC_INVALID_TYPE', errorPath: 'non_secret_keys[0]' },
  { path: 'labels', value: { '-x': 'y' }, code: 'FJC_SPEC_INVALID_FORMAT', errorPath: 'labels["-x"]' },
  { path: 'labels', value: { 'team name': 'y' }, code: 'FJC_SPEC_INVALID_FORMAT', errorPath: 'labels["team name"]' },
  { path: 'labels', value: { a: 'x'.repeat(257) }, code: 'FJC_SPEC_OUT_OF_RANGE', errorPath: 'labels.a' },
  { path: 'labels', value: { a: 5 }, code: 'FJC_SPEC_INVALID_TYPE', errorPath: 'labels.a' },
  ...cases('batch_config', 'FJC_SPEC_INVALID_TYPE', null, '0 2 * * *'),
  ...cases('batch_config.cron', 'FJC_SPEC_INVALID_CRON', '61 * * * *', 'every day', '0 0 30 2 *', '* * * *', '0 25 * * *', ''),
  ...cases('batch_config.cron', 'FJC_SPEC_INVALID_TYPE', 5),
  ...cases('batch_config.timezone', 'FJC_SPEC_INVALID_TIMEZONE', 'Europe/Berln', 'Mars/Olympus', 'GMT+2', ''),
  ...cases('batch_config.max_runs', 'FJC_SPEC_OUT_OF_RANGE', 0, -3),
  ...cases('batch_config.max_runs', 'FJC_SPEC_INVALID_TYPE', 1.5),
  ...cases('batch_config.ttl_seconds', 'FJC_SPEC_OUT_OF_RANGE', 0),
  ...cases('batch_config.completion_timeout_seconds', 'FJC_SPEC_OUT_OF_RANGE', 0, -1),
  ...cases('batch_config.retry', 'FJC_SPEC_INVALID_TYPE', 3, 'always'),
  ...cases('batch_config.retry.max_attempts', 'FJC_SPEC_OUT_OF_RANGE', 0, 101),
  ...cases('batch_config.retry.backoff_seconds', 'FJC_SPEC_OUT_OF_RANGE', -1, 86401),
  ...cases('batch_config.completion_timeout_seconds', 'FJC_SPEC_INVALID_TYPE', 1.5, '60'),
  ...cases('batch_config.cleanup_on_completion', 'FJC_SPEC_INVALID_TYPE', 'y'),
  ...cases('batch_config.concurrency_policy', 'FJC_SPEC_INVALID_VALUE', 'Forbid', 'skip'),
  ...cases('batch_config.starting_deadline_seconds', 'FJC_SPEC_OUT_OF_RANGE', 0, -5),
  ...cases('stream_config', 'FJC_SPEC_INVALID_TYPE', []),
  ...cases('stream_config.savepoint_trigger_interval', 'FJC_SPEC_OUT_OF_RANGE', '9s', '31d', 9999),
  ...cases('stream_config.savepoint_trigger_interval', 'FJC_SPEC_INVALID_DURATION', 'hourly'),
  ...cases('stream_config.checkpoint_timeout', 'FJC_SPEC_OUT_OF_RANGE', '5ms'),
  ...cases('stream_config.checkpoint_timeout', 'FJC_SPEC_INVALID_DURATION', 'x'),
  ...cases('stream_config.min_pause_between_checkpoints', 'FJC_SPEC_OUT_OF_RANGE', -1, '8d'),
  ...cases('stream_config.max_concurrent_checkpoints', 'FJC_SPEC_OUT_OF_RANGE', 0, 1001),
  ...cases('advanced.classloader_resolve_order', 'FJC_SPEC_INVALID_VALUE', 'child_first', 'parent'),
  ...cases('advanced.classloader_cache_mode', 'FJC_SPEC_INVALID_VALUE', 'per_job', 'global'),
  ...cases('advanced.network_buffer_timeout', 'FJC_SPEC_OUT_OF_RANGE', '2h'),
  ...cases('advanced.network_buffer_timeout', 'FJC_SPEC_INVALID_DURATION', '-1ms'),
  ...cases('advanced.taskmanager_heap_size', 'FJC_SPEC_OUT_OF_RANGE', '100k'),
  ...cases('advanced.taskmanager_heap_size', 'FJC_SPEC_INVALID_SIZE', '4 gigs'),
];

/** The sections of the spec (objects with their own fields), with the spec each lives in. */
export const SECTIONS: readonly { readonly path: string; readonly base: () => Record<string, unknown> }[] = [
  { path: '', base: streamSpec },
  { path: 'deployment', base: streamSpec },
  { path: 'resources', base: streamSpec },
  { path: 'security', base: streamSpec },
  { path: 'monitoring', base: streamSpec },
  { path: 'batch_config', base: batchSpec },
  { path: 'stream_config', base: streamSpec },
  { path: 'advanced', base: streamSpec },
];
