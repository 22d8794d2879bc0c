import { interpolate, referencesIn } from './references';
import { stageJobSpec } from './stage-job-spec';
import { validatePipeline } from './validate-pipeline';
import { validateSpec } from '../spec/validate-spec';

const values = { run: { id: 'r-1', scheduled_time: '2026-11-29T06:00:00.000Z' }, outputs: { extract: { path: '/data/r-1' } } };

describe('references', () => {
  it('fills in run fields and outputs, keeping $${ as a literal ${', () => {
    expect(interpolate('${stages.extract.outputs.path}/part-${run.id}@${run.scheduled_time} $${x}', values)).toBe('/data/r-1/part-r-1@2026-11-29T06:00:00.000Z ${x}');
  });
  it('lists references, good and bad', () => {
    expect(referencesIn('a ${run.id} ${oops} $${no}').map((r) => [r.ok, r.text])).toEqual([
      [true, '${run.id}'],
      [false, '${oops}'],
    ]);
  });
  it('refuses to fill in an output the run has no value for', () => {
    expect(() => interpolate('${stages.other.outputs.path}', values)).toThrow('${stages.other.outputs.path} has no value in this run');
  });
  it('makes a valid batch job spec for a stage run, with the filled-in args and the run labels', () => {
    const pipeline = validatePipeline({
      pipeline_id: 'nightly',
      stages: [
        { name: 'extract', job: { artifact_path: 'j.jar' }, outputs: { path: '/data/${run.id}' } },
        { name: 'to_csv', depends_on: ['extract'], job: { artifact_path: 'j.jar', parallelism: 2, args: ['--in', '${stages.extract.outputs.path}'] } },
      ],
    });
    if (!pipeline.ok) throw new Error(JSON.stringify(pipeline.errors));
    const [, stage] = pipeline.pipeline.stages;
    if (!stage) throw new Error('two stages expected');
    const spec = stageJobSpec(pipeline.pipeline, stage, { runId: 'r-1', attempt: 2, args: stage.job.args.map((a) => interpolate(a, values)) });
    const checked = validateSpec(spec);
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    expect(checked.spec).toMatchObject({
      job_id: 'nightly-to-csv',
      job_type: 'batch',
      args: ['--in', '/data/r-1'],
      deployment: { parallelism: 2 },
      labels: { 'fjc.dev/pipeline': 'nightly', 'fjc.dev/pipeline-run': 'r-1', 'fjc.dev/pipeline-stage': 'to_csv', 'fjc.dev/pipeline-attempt': '2' },
    });
  });
});
