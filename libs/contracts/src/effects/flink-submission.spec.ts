import { validateSpec } from '../spec/validate-spec';
import { SIGNATURE } from '../testing/spec-cases';
import { flinkSubmission } from './flink-submission';

function submissionOf(input: Record<string, unknown>) {
  const result = validateSpec({ artifact_path: 'jobs/etl.jar', artifact_signature: SIGNATURE, ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return flinkSubmission(result.spec);
}

describe('flinkSubmission', () => {
  it('turns a minimal stream spec into a run request with Flink defaults made explicit', () => {
    expect(submissionOf({ job_id: 'etl', job_type: 'stream' })).toEqual({
      flinkConfiguration: {
        // Every stream job keeps its checkpoints, so a job Flink loses can start from one.
        'execution.checkpointing.externalized-checkpoint-retention': 'RETAIN_ON_CANCELLATION',
        'execution.checkpointing.interval': '60000 ms',
        'execution.checkpointing.max-concurrent-checkpoints': '1',
        'execution.checkpointing.min-pause': '0 ms',
        'execution.checkpointing.timeout': '600000 ms',
        'execution.runtime-mode': 'STREAMING',
        'parallelism.default': '1',
        'restart-strategy.fixed-delay.attempts': '3',
        'restart-strategy.fixed-delay.delay': '10000 ms',
        'restart-strategy.type': 'fixed-delay',
      },
      programArgs: [],
      parallelism: 1,
      allowNonRestoredState: false,
      warnings: [],
    });
  });

  it('maps every Flink-facing field of a full stream spec', () => {
    const submission = submissionOf({
      job_id: 'etl',
      job_type: 'stream',
      entry_class: 'dev.fjc.testjob.TestJob',
      args: ['--mode', 'stream', '--rate', '20'],
      deployment: {
        parallelism: 4,
        checkpoint_interval: '30s',
        savepoint_path: 'file:///data/savepoints',
        restart_strategy: 'exponential-delay',
        max_restart_attempts: 7,
        restart_delay: '2s',
        upgrade_mode: 'last-state',
        allow_non_restored_state: true,
      },
      stream_config: { checkpoint_timeout: '5m', min_pause_between_checkpoints: '10s', max_concurrent_checkpoints: 1 },
      advanced: { classloader_resolve_order: 'parent-first', network_buffer_timeout: '20ms' },
    });
    expect(submission).toEqual({
      flinkConfiguration: {
        'classloader.resolve-order': 'parent-first',
        'execution.buffer-timeout.interval': '20 ms',
        'execution.checkpointing.externalized-checkpoint-retention': 'RETAIN_ON_CANCELLATION',
        'execution.checkpointing.interval': '30000 ms',
        'execution.checkpointing.max-concurrent-checkpoints': '1',
        'execution.checkpointing.min-pause': '10000 ms',
        'execution.checkpointing.savepoint-dir': 'file:///data/savepoints',
        'execution.checkpointing.timeout': '300000 ms',
        'execution.runtime-mode': 'STREAMING',
        'parallelism.default': '4',
        'restart-strategy.exponential-delay.attempts-before-reset-backoff': '7',
        'restart-strategy.exponential-delay.initial-backoff': '2000 ms',
        'restart-strategy.type': 'exponential-delay',
      },
      programArgs: ['--mode', 'stream', '--rate', '20'],
      parallelism: 4,
      entryClass: 'dev.fjc.testjob.TestJob',
      allowNonRestoredState: true,
      warnings: [expect.objectContaining({ path: 'advanced.classloader_resolve_order', code: 'FJC_SPEC_PARTIAL_EFFECT' })],
    });
  });

  it('runs a batch job in BATCH mode without checkpoint settings', () => {
    const submission = submissionOf({
      job_id: 'report',
      job_type: 'batch',
      deployment: { restart_strategy: 'failure-rate', max_restart_attempts: 2, restart_delay: '1m' },
      batch_config: { cron: '0 2 * * *', timezone: 'Europe/Berlin' },
    });
    expect(submission.flinkConfiguration).toEqual({
      'execution.runtime-mode': 'BATCH',
      'parallelism.default': '1',
      'restart-strategy.failure-rate.delay': '60000 ms',
      'restart-strategy.failure-rate.max-failures-per-interval': '2',
      'restart-strategy.type': 'failure-rate',
    });
  });

  it('sends no restart settings beyond the type when restarts are off', () => {
    const config = submissionOf({ job_id: 'etl', job_type: 'stream', deployment: { restart_strategy: 'none' } }).flinkConfiguration;
    expect(Object.keys(config).filter((key) => key.startsWith('restart-strategy'))).toEqual(['restart-strategy.type']);
    expect(config['restart-strategy.type']).toBe('none');
  });

  it('lists every cluster-level field as a warning, in table order', () => {
    const submission = submissionOf({
      job_id: 'etl',
      job_type: 'stream',
      resources: { memory: '2g', cpu_cores: 2, network_memory: '256m' },
      security: { kerberos_principal: 'etl@EXAMPLE.COM', ssl_enabled: true },
      monitoring: { metrics_port: 9249, log_level: 'DEBUG' },
      env_vars: { TZ: 'UTC' },
      advanced: { taskmanager_heap_size: '4g', classloader_cache_mode: 'shared' },
    });
    expect(submission.warnings.map((w) => [w.path, w.code])).toEqual([
      ['resources.memory', 'FJC_SPEC_CLUSTER_LEVEL'],
      ['resources.cpu_cores', 'FJC_SPEC_CLUSTER_LEVEL'],
      ['resources.network_memory', 'FJC_SPEC_CLUSTER_LEVEL'],
      ['security.kerberos_principal', 'FJC_SPEC_CLUSTER_LEVEL'],
      ['security.ssl_enabled', 'FJC_SPEC_CLUSTER_LEVEL'],
      ['monitoring.metrics_port', 'FJC_SPEC_CLUSTER_LEVEL'],
      ['monitoring.log_level', 'FJC_SPEC_CLUSTER_LEVEL'],
      ['env_vars', 'FJC_SPEC_CLUSTER_LEVEL'],
      ['advanced.classloader_cache_mode', 'FJC_SPEC_UNSUPPORTED_VALUE'],
      ['advanced.taskmanager_heap_size', 'FJC_SPEC_CLUSTER_LEVEL'],
    ]);
  });
});
