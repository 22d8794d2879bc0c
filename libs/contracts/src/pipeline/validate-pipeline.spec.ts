import { validatePipeline } from './validate-pipeline';

const job = (args: string[] = []) => ({ artifact_path: 'fjc-test-job.jar', args });
const etl = (overrides: Record<string, unknown> = {}) => ({
  pipeline_id: 'nightly',
  stages: [
    { name: 'extract', job: job(['batch', '--name', 'x-${run.id}']), outputs: { path: '/data/${run.id}/raw' } },
    { name: 'clean', depends_on: ['extract'], job: job(['--name', '${stages.extract.outputs.path}']) },
    { name: 'enrich', depends_on: ['extract'], job: job(['--name', 'e-${stages.extract.outputs.path}']) },
    { name: 'load', depends_on: ['clean', 'enrich'], job: job(['--at', '${run.scheduled_time}']) },
  ],
  ...overrides,
});

function errorsOf(input: unknown) {
  const result = validatePipeline(input);
  if (result.ok) throw new Error('expected errors');
  return result.errors.map(({ path, code, message }) => ({ path, code, message }));
}

describe('validatePipeline', () => {
  it('accepts a diamond and applies the defaults', () => {
    const result = validatePipeline(etl());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.pipeline.namespace).toBe('default');
    expect(result.pipeline.failure_policy).toEqual({ on_failure: 'stop' });
    expect(result.pipeline.stages[0]).toMatchObject({ type: 'batch', depends_on: [], retries: { max_retries: 0, backoff: 10_000, max_backoff: 300_000 } });
    expect(result.pipeline.stages[0]?.job).toMatchObject({ cluster: 'default', parallelism: 1 });
  });

  it.each([
    ['a two-stage cycle', [['a', ['b']], ['b', ['a']]], 'cycle a -> b -> a (each stage depends on the next)'],
    ['a three-stage cycle after a clean stage', [['s', []], ['a', ['s', 'c']], ['b', ['a']], ['c', ['b']]], 'cycle a -> c -> b -> a (each stage depends on the next)'],
  ])('rejects %s, naming it', (_name, graph, message) => {
    const stages = (graph as Array<[string, string[]]>).map(([name, depends_on]) => ({ name, depends_on, job: job() }));
    expect(errorsOf({ pipeline_id: 'p', stages })).toEqual([{ path: 'stages', code: 'FJC_SPEC_INVALID_VALUE', message }]);
  });

  it('names unknown and self dependencies, and duplicate names, at their paths', () => {
    const stages = [
      { name: 'extract', job: job() },
      { name: 'load', depends_on: ['extrct', 'load'], job: job() },
      { name: 'extract', job: job() },
    ];
    expect(errorsOf({ pipeline_id: 'p', stages })).toEqual([
      { path: 'stages[1].depends_on[0]', code: 'FJC_SPEC_INVALID_VALUE', message: 'no stage is named extrct (did you mean extract?)' },
      { path: 'stages[1].depends_on[1]', code: 'FJC_SPEC_INVALID_VALUE', message: 'stage load cannot depend on itself' },
      { path: 'stages[2].name', code: 'FJC_SPEC_INVALID_VALUE', message: 'stage extract is named twice (first at stages[0])' },
    ]);
  });

  it('refuses stages after a stream stage', () => {
    const stages = [{ name: 'serve', type: 'stream', job: job() }, { name: 'after', depends_on: ['serve'], job: job() }];
    expect(errorsOf({ pipeline_id: 'p', stages })[0]).toMatchObject({ path: 'stages[1].depends_on[0]', message: expect.stringContaining('stream stage') });
  });

  it('rejects references it cannot resolve, naming the path and the reference', () => {
    const input = etl();
    const [, clean] = input.stages as Array<{ job: { args: string[] } }>;
    if (clean) clean.job.args = ['${stages.extract.outputs.pth}', '${stages.enrich.outputs.path}', '${stages.nope.outputs.x}', '${run.idd}', '$${literal}'];
    expect(errorsOf(input)).toEqual([
      { path: 'stages[1].job.args[0]', code: 'FJC_SPEC_INVALID_VALUE', message: '${stages.extract.outputs.pth}: stage extract declares no output pth (it declares path)' },
      { path: 'stages[1].job.args[1]', code: 'FJC_SPEC_INVALID_VALUE', message: '${stages.enrich.outputs.path}: stage clean does not depend on enrich, so its outputs are not known when clean starts' },
      { path: 'stages[1].job.args[2]', code: 'FJC_SPEC_INVALID_VALUE', message: '${stages.nope.outputs.x}: no stage is named nope' },
      {
        path: 'stages[1].job.args[3]',
        code: 'FJC_SPEC_INVALID_VALUE',
        message: '${run.idd} is not a known reference (use ${run.id}, ${run.scheduled_time} or ${stages.<stage>.outputs.<name>})',
      },
    ]);
  });

  it('lets a stage reach outputs of stages it depends on only through others', () => {
    const input = etl();
    const load = (input.stages as Array<{ job: { args: string[] } }>)[3];
    if (load) load.job.args = ['${stages.extract.outputs.path}'];
    expect(validatePipeline(input).ok).toBe(true);
  });

  it('checks the compensation stage', () => {
    expect(errorsOf(etl({ failure_policy: { on_failure: 'compensate' } }))).toEqual([
      { path: 'failure_policy.compensation_stage', code: 'FJC_SPEC_REQUIRED', message: 'is required when on_failure is compensate' },
    ]);
    expect(errorsOf(etl({ failure_policy: { on_failure: 'stop', compensation_stage: 'load' } }))[0]?.code).toBe('FJC_SPEC_FIELD_NOT_ALLOWED');
    expect(errorsOf(etl({ failure_policy: { on_failure: 'compensate', compensation_stage: 'load' } }))[0]?.message).toBe(
      'stage load runs only on failure, so it cannot have depends_on',
    );
    const withUndo = etl({ failure_policy: { on_failure: 'compensate', compensation_stage: 'undo' } });
    (withUndo.stages as unknown[]).push({ name: 'undo', job: job() });
    expect(validatePipeline(withUndo).ok).toBe(true);
  });

  it('reports field errors with the job spec codes', () => {
    expect(errorsOf({ pipeline_id: 'P!', stages: [{ name: 'a', job: job(), retries: { max_retries: 99 } }], schedule: { cron: 'nope' }, extra: 1 })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'pipeline_id', code: 'FJC_SPEC_INVALID_FORMAT' }),
        expect.objectContaining({ path: 'stages[0].retries.max_retries', code: 'FJC_SPEC_OUT_OF_RANGE' }),
        expect.objectContaining({ path: 'schedule.cron', code: 'FJC_SPEC_INVALID_CRON' }),
        expect.objectContaining({ path: 'extra', code: 'FJC_SPEC_UNKNOWN_FIELD' }),
      ]),
    );
  });
});
