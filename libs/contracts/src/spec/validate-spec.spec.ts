import { ABSENT, INVALID_CASES, SECTIONS, VALID_VALUES, baseFor, batchSpec, streamSpec, withField } from '../testing/spec-cases';
import { allowedKeysAt } from './schema-walk';
import { JobSpecSchema, RESTART_STRATEGIES, UPGRADE_MODES } from './job-spec';
import { validateSpec, type SpecValidation } from './validate-spec';

function errorsOf(result: SpecValidation) {
  if (result.ok) throw new Error(`expected errors, got a valid spec: ${JSON.stringify(result.spec)}`);
  return result.errors;
}

const shown = (value: unknown): string => (value === ABSENT ? '(absent)' : JSON.stringify(value)?.slice(0, 40) ?? String(value));

describe('validateSpec: valid specs', () => {
  const validCases = Object.entries(VALID_VALUES).flatMap(([path, values]) => values.map((value) => ({ path, value })));

  it.each(validCases.map((c) => [c.path, shown(c.value), c]))('%s = %s is valid', (_path, _shown, { path, value }) => {
    const result = validateSpec(withField(baseFor(path), path, value));
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  const combinations = [
    ...UPGRADE_MODES.flatMap((mode) => RESTART_STRATEGIES.map((strategy) => ({ base: streamSpec(), mode, strategy }))),
    ...RESTART_STRATEGIES.map((strategy) => ({ base: batchSpec(), mode: 'stateless', strategy })),
  ];
  it.each(combinations.map((c) => [c.base.job_type, c.mode, c.strategy, c]))(
    '%s job with upgrade_mode %s and restart_strategy %s is valid',
    (_type, _mode, _strategy, { base, mode, strategy }) => {
      const result = validateSpec({ ...base, deployment: { upgrade_mode: mode, restart_strategy: strategy, parallelism: 3 } });
      expect(result.ok).toBe(true);
    },
  );

  it('applies defaults and converts units', () => {
    const result = validateSpec({ ...streamSpec(), deployment: { checkpoint_interval: '2m' }, resources: { memory: '2g' } });
    if (!result.ok) throw new Error('expected a valid spec');
    expect(result.spec.deployment).toEqual({
      parallelism: 1,
      checkpoint_interval: 120_000,
      restart_strategy: 'fixed-delay',
      max_restart_attempts: 3,
      restart_delay: 10_000,
      upgrade_mode: 'stateless',
      allow_non_restored_state: false,
    });
    expect(result.spec.resources.memory).toBe(2 * 1024 ** 3);
    expect(result.spec.job_type === 'stream' && result.spec.stream_config).toEqual({
      checkpoint_timeout: 600_000,
      min_pause_between_checkpoints: 0,
      max_concurrent_checkpoints: 1,
      stability: { min_running_time: 30_000, min_checkpoints: 1, max_restarts: 2, deadline: 600_000 },
      restart_budget: { max_restarts: 10, window: 600_000, remedy: 'redeploy' },
      savepoint_retention: { keep_last: 10 },
    });
  });

  it('gives a batch job its batch_config defaults and no stream_config', () => {
    const result = validateSpec(batchSpec());
    if (!result.ok) throw new Error('expected a valid spec');
    expect(result.spec).toMatchObject({ batch_config: { timezone: 'UTC', cleanup_on_completion: false, concurrency_policy: 'forbid' } });
    expect(result.spec).not.toHaveProperty('stream_config');
  });

  it('lower-cases the hex digits of artifact_signature', () => {
    const result = validateSpec({ ...streamSpec(), artifact_signature: `sha256:${'AB'.repeat(32)}` });
    expect(result.ok && result.spec.artifact_signature).toBe(`sha256:${'ab'.repeat(32)}`);
  });

  it('accepts a spec without artifact_signature when verification is off', () => {
    const spec = withField(withField(streamSpec(), 'artifact_signature', ABSENT), 'security.artifact_verification', false);
    expect(validateSpec(spec).ok).toBe(true);
  });
});

describe('validateSpec: invalid values', () => {
  it.each(INVALID_CASES.map((c) => [c.errorPath ?? c.path, shown(c.value), c.code, c]))(
    '%s = %s is rejected with %s at exactly that path',
    (errorPath, _shown, code, { path, value }) => {
      const errors = errorsOf(validateSpec(withField(baseFor(path), path, value)));
      expect(errors.map((e) => [e.path, e.code])).toEqual([[errorPath, code]]);
      expect(errors[0].message.length).toBeGreaterThan(5);
    },
  );
});

describe('validateSpec: unknown fields', () => {
  it.each(SECTIONS.map((s) => [s.path || '(top level)', s]))('rejects an unknown field in %s', (_name, { path, base }) => {
    const field = path === '' ? 'colour' : `${path}.colour`;
    const errors = errorsOf(validateSpec(withField(base(), field, 1)));
    expect(errors.map((e) => [e.path, e.code])).toEqual([[field, 'FJC_SPEC_UNKNOWN_FIELD']]);
    expect(errors[0].message).toMatch(/allowed here: /);
  });

  const typos = SECTIONS.flatMap(({ path, base }) =>
    allowedKeysAt(JobSpecSchema, path === '' ? [] : path.split('.'), base()).map((key) => {
      const typo = key.length > 3 ? key.slice(0, 2) + key.slice(3) : `${key}x`;
      return { section: path, key, typo, base };
    }),
  );

  it.each(typos.map((t) => [t.section || '(top level)', t.typo, t.key, t]))(
    'in %s, "%s" suggests "%s"',
    (_section, _typo, _key, { section, key, typo, base }) => {
      const field = section === '' ? typo : `${section}.${typo}`;
      const errors = errorsOf(validateSpec(withField(base(), field, 'x')));
      expect(errors.map((e) => [e.path, e.code])).toEqual([[field, 'FJC_SPEC_UNKNOWN_FIELD']]);
      expect(errors[0].message).toContain(`did you mean "${key}"?`);
    },
  );

  it('suggests the underscore spelling for a dashed field', () => {
    const errors = errorsOf(validateSpec(withField(streamSpec(), 'deployment.checkpoint-interval', '30s')));
    expect(errors[0]).toMatchObject({ path: 'deployment.checkpoint-interval', message: expect.stringContaining('"checkpoint_interval"') });
  });

  it('points to the right section for a field written at the wrong level', () => {
    const errors = errorsOf(validateSpec({ ...streamSpec(), parallelism: 4 }));
    expect(errors).toEqual([
      { path: 'parallelism', code: 'FJC_SPEC_UNKNOWN_FIELD', message: 'is not a field here; did you mean "deployment.parallelism"?' },
    ]);
  });
});

describe('validateSpec: cross-field rules', () => {
  it('allows batch_config only on batch jobs', () => {
    const errors = errorsOf(validateSpec({ ...streamSpec(), batch_config: { cron: '0 2 * * *' } }));
    expect(errors).toEqual([
      {
        path: 'batch_config',
        code: 'FJC_SPEC_FIELD_NOT_ALLOWED',
        message: 'is only allowed when job_type is "batch" (this job\'s job_type is "stream")',
      },
    ]);
  });

  it('allows stream_config only on stream jobs', () => {
    const errors = errorsOf(validateSpec({ ...batchSpec(), stream_config: {} }));
    expect(errors.map((e) => [e.path, e.code])).toEqual([['stream_config', 'FJC_SPEC_FIELD_NOT_ALLOWED']]);
  });

  it.each(['savepoint', 'last-state'])('rejects upgrade_mode %s on a batch job', (mode) => {
    const errors = errorsOf(validateSpec(withField(batchSpec(), 'deployment.upgrade_mode', mode)));
    expect(errors.map((e) => [e.path, e.code])).toEqual([['deployment.upgrade_mode', 'FJC_SPEC_INVALID_VALUE']]);
  });

  it('takes a spec without artifact_signature while verification is on: the artifact policy decides whether one is needed', () => {
    const result = validateSpec(withField(streamSpec(), 'artifact_signature', ABSENT));
    expect(result.ok && result.spec.security.artifact_verification).toBe(true);
  });

  it('reports a missing job_type and still checks the rest', () => {
    const spec = withField(withField(streamSpec(), 'job_type', ABSENT), 'deployment.parallelism', 0);
    const errors = errorsOf(validateSpec(spec));
    expect(errors.map((e) => [e.path, e.code])).toEqual([
      ['job_type', 'FJC_SPEC_REQUIRED'],
      ['deployment.parallelism', 'FJC_SPEC_OUT_OF_RANGE'],
    ]);
  });

  it('suggests the job_type meant and checks the rest as that variant', () => {
    const spec = { ...batchSpec(), job_type: 'btach', batch_config: { cron: 'nope' } };
    const errors = errorsOf(validateSpec(spec));
    expect(errors).toEqual([
      { path: 'job_type', code: 'FJC_SPEC_INVALID_VALUE', message: 'must be "stream" or "batch", got "btach"; did you mean "batch"?' },
      expect.objectContaining({ path: 'batch_config.cron', code: 'FJC_SPEC_INVALID_CRON' }),
    ]);
  });

  it('reports every error of a spec at once', () => {
    const spec = {
      job_id: 'Bad_Id',
      job_type: 'stream',
      artifact_path: 'x.zip',
      deployment: { parallelism: 0, paralelism: 2 },
      monitoring: { log_level: 'loud' },
    };
    const errors = errorsOf(validateSpec(spec));
    expect(errors.map((e) => e.path).sort()).toEqual(
      ['artifact_path', 'deployment.paralelism', 'deployment.parallelism', 'job_id', 'monitoring.log_level'].sort(),
    );
  });
});

describe('validateSpec: not a spec at all', () => {
  it.each([[null], [[]], ['job_id: x'], [42], [undefined]])('rejects %p with one clear error', (input) => {
    const errors = errorsOf(validateSpec(input));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: '', code: 'FJC_SPEC_NOT_A_MAPPING' });
    expect(errors[0].message).toMatch(/^a job spec must be a mapping of fields/);
  });
});

describe('validateSpec: warnings', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['a plain spec', streamSpec(), []],
    ['cluster-level resources', { ...streamSpec(), resources: { memory: '2g', cpu_cores: 2 } }, ['resources.memory', 'resources.cpu_cores']],
    ['environment variables', { ...streamSpec(), env_vars: { A: '1' } }, ['env_vars']],
    ['empty environment', { ...streamSpec(), env_vars: {} }, []],
    ['restart settings without restarts', withField(withField(streamSpec(), 'deployment.restart_strategy', 'none'), 'deployment.restart_delay', '5s'), ['deployment.restart_delay']],
    ['restart defaults without restarts', withField(streamSpec(), 'deployment.restart_strategy', 'none'), []],
    ['a checkpoint interval on a batch job', withField(batchSpec(), 'deployment.checkpoint_interval', '1m'), ['deployment.checkpoint_interval']],
    ['a time zone without cron', withField(batchSpec(), 'batch_config.timezone', 'Europe/Berlin'), ['batch_config.timezone']],
    ['a time zone with cron', { ...batchSpec(), batch_config: { cron: '0 2 * * *', timezone: 'Europe/Berlin' } }, []],
    ['non-restored state on a stateless job', withField(streamSpec(), 'deployment.allow_non_restored_state', true), ['deployment.allow_non_restored_state']],
    ['verification off', withField(streamSpec(), 'security.artifact_verification', false), ['security.artifact_verification', 'artifact_signature']],
    ['a shared class loader', withField(streamSpec(), 'advanced.classloader_cache_mode', 'shared'), ['advanced.classloader_cache_mode']],
    ['a per-job class loader', withField(streamSpec(), 'advanced.classloader_cache_mode', 'per-job'), []],
    ['concurrent checkpoints with a pause', { ...streamSpec(), stream_config: { max_concurrent_checkpoints: 2, min_pause_between_checkpoints: '1s' } }, ['stream_config.max_concurrent_checkpoints']],
  ];

  it.each(cases)('%s', (_name, spec, paths) => {
    const result = validateSpec(spec);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.warnings.map((w) => w.path).sort()).toEqual([...paths].sort());
    for (const warning of result.warnings) expect(warning.message.length).toBeGreaterThan(10);
  });
});
