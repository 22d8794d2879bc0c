import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { validateSpec } from '../spec/validate-spec';
import { JobTemplateSchema, type JobTemplate } from './job-template';
import { mergeValues, parameterValues, parseJobTemplate, renderTemplateUse, substitute, templateErrors, templateUseOf, resolveChain } from './render-template';
import { JOB_TEMPLATE_SCHEMA_FILE, jobTemplateJsonSchemaText } from './template-json-schema';

const WORKSPACE = join(__dirname, '..', '..', '..', '..');
const template = (t: unknown): JobTemplate => JobTemplateSchema.parse(t);

const base = template({
  name: 'base',
  parameters: { log_level: { type: 'string', enum: ['INFO', 'DEBUG'], default: 'INFO' } },
  spec: {
    namespace: 'default',
    artifact_path: 'artifacts/test-job.jar',
    deployment: { parallelism: 1, upgrade_mode: 'savepoint', checkpoint_interval: '10s' },
    monitoring: { log_level: '${params.log_level}' },
    labels: { team: 'data', tier: 'gold' },
    args: ['--mode', 'base'],
  },
});
const stream = template({
  name: 'stream-base',
  extends: 'base@1',
  parameters: { parallelism: { type: 'integer', default: 1, min: 1, max: 4 }, topic: { type: 'string', required: true, pattern: '^[a-z.]+$' } },
  spec: {
    job_type: 'stream',
    deployment: { parallelism: '${params.parallelism}' },
    labels: { tier: null, topic: '${params.topic}' },
    args: ['--topic', '${params.topic}', '--label', 'of-${params.topic}'],
  },
});

describe('mergeValues', () => {
  it.each([
    ['maps merge key by key', { a: 1, m: { x: 1, y: 2 } }, { m: { y: 3, z: 4 } }, { a: 1, m: { x: 1, y: 3, z: 4 } }],
    ['lists replace whole', { l: [1, 2, 3] }, { l: [9] }, { l: [9] }],
    ['null removes a key', { a: 1, b: 2 }, { b: null }, { a: 1 }],
    ['a scalar replaces a map', { a: { x: 1 } }, { a: 'flat' }, { a: 'flat' }],
  ])('%s', (_, over1, over2, expected) => {
    expect(mergeValues(over1, over2)).toEqual(expected);
  });
});

describe('rendering a template use', () => {
  it('renders a child over its parent into a spec validateSpec accepts', () => {
    const rendered = renderTemplateUse({ name: 'stream-base', version: 1, params: { parallelism: 2, topic: 'orders.in' }, fields: { job_id: 'orders' } }, [base, stream]);
    expect(rendered.ok).toBe(true);
    if (!rendered.ok) return;
    expect(rendered.value).toEqual({
      job_id: 'orders',
      job_type: 'stream',
      namespace: 'default',
      artifact_path: 'artifacts/test-job.jar',
      deployment: { parallelism: 2, upgrade_mode: 'savepoint', checkpoint_interval: '10s' },
      monitoring: { log_level: 'INFO' },
      labels: { team: 'data', topic: 'orders.in' },
      args: ['--topic', 'orders.in', '--label', 'of-orders.in'],
    });
    expect(validateSpec(rendered.value).ok).toBe(true);
  });

  it("merges the job's own fields over the rendered template", () => {
    const rendered = renderTemplateUse({ name: 'stream-base', version: 1, params: { topic: 'a' }, fields: { job_id: 'j', deployment: { checkpoint_interval: '5s' }, labels: { team: null } } }, [base, stream]);
    expect(rendered.ok && rendered.value.deployment).toEqual({ parallelism: 1, upgrade_mode: 'savepoint', checkpoint_interval: '5s' });
    expect(rendered.ok && rendered.value.labels).toEqual({ topic: 'a' });
  });

  it.each([
    [{ parallelism: 'four', topic: 'a' }, 'params.parallelism', 'FJC_TEMPLATE_PARAM_INVALID', 'expected integer, got "four"'],
    [{ parallelism: 2.5, topic: 'a' }, 'params.parallelism', 'FJC_TEMPLATE_PARAM_INVALID', 'expected integer, got 2.5'],
    [{ parallelism: 9, topic: 'a' }, 'params.parallelism', 'FJC_TEMPLATE_PARAM_INVALID', 'must be at most 4, got 9'],
    [{ parallelism: 0, topic: 'a' }, 'params.parallelism', 'FJC_TEMPLATE_PARAM_INVALID', 'must be at least 1, got 0'],
    [{ topic: 'Orders' }, 'params.topic', 'FJC_TEMPLATE_PARAM_INVALID', 'must match ^[a-z.]+$, got "Orders"'],
    [{ topic: 'a', log_level: 'TRACE' }, 'params.log_level', 'FJC_TEMPLATE_PARAM_INVALID', 'must be one of "INFO", "DEBUG", got "TRACE"'],
    [{}, 'params.topic', 'FJC_TEMPLATE_PARAM_REQUIRED', 'is required by stream-base@1 (string)'],
    [{ topic: 'a', colour: 'red' }, 'params.colour', 'FJC_TEMPLATE_PARAM_UNKNOWN', 'is not a parameter of stream-base@1 (it has log_level, parallelism, topic)'],
  ])('refuses params %j at %s', (params, path, code, message) => {
    const rendered = renderTemplateUse({ name: 'stream-base', version: 1, params, fields: { job_id: 'j' } }, [base, stream]);
    expect(rendered).toEqual({ ok: false, errors: [{ path, code, message }] });
  });

  it('reports every bad parameter at once', () => {
    const values = parameterValues(resolveChain([base, stream]).parameters, { parallelism: true, log_level: 3 }, 't@1');
    expect(values.ok ? [] : values.errors.map((e) => e.path).sort()).toEqual(['params.log_level', 'params.parallelism', 'params.topic']);
  });

  describe('a value that is only ${params.x}: typed where the field takes the type, text where it takes only text', () => {
    const typed = template({
      name: 'typed',
      parameters: {
        rate: { type: 'integer', default: 50 },
        parallelism: { type: 'integer', default: 2 },
        skip: { type: 'boolean', default: true },
        interval: { type: 'integer', default: 30000 },
      },
      spec: {
        job_type: 'stream',
        artifact_path: 'artifacts/test-job.jar',
        deployment: { parallelism: '${params.parallelism}', allow_non_restored_state: '${params.skip}', checkpoint_interval: '${params.interval}' },
        args: ['--rate', '${params.rate}', '--skip', '${params.skip}'],
        env_vars: { RATE: '${params.rate}' },
        labels: { rate: '${params.rate}' },
      },
    });

    it('renders an integer or boolean parameter as text in args, env_vars and labels, typed in parallelism and flags, and the spec validates', () => {
      const rendered = renderTemplateUse({ name: 'typed', version: 1, params: {}, fields: { job_id: 'j' } }, [typed]);
      expect(rendered.ok).toBe(true);
      if (!rendered.ok) return;
      expect(rendered.value.args).toEqual(['--rate', '50', '--skip', 'true']);
      expect(rendered.value.env_vars).toEqual({ RATE: '50' });
      expect(rendered.value.labels).toEqual({ rate: '50' });
      // Fields that take the typed value keep it (a duration takes whole milliseconds as well as text).
      expect(rendered.value.deployment).toEqual({ parallelism: 2, allow_non_restored_state: true, checkpoint_interval: 30000 });
      const valid = validateSpec(rendered.value);
      expect(valid.ok ? valid.spec.deployment : valid.errors).toMatchObject({ parallelism: 2, allow_non_restored_state: true, checkpoint_interval: 30000 });
    });

    it("reads the field from the job type of the merged document, and a job's own fields still win", () => {
      const rendered = renderTemplateUse({ name: 'typed', version: 1, params: { rate: 7 }, fields: { job_id: 'j', job_type: 'batch', deployment: { upgrade_mode: 'stateless' }, args: ['--own'] } }, [typed]);
      expect(rendered.ok && [rendered.value.job_type, rendered.value.args, rendered.value.env_vars]).toEqual(['batch', ['--own'], { RATE: '7' }]);
    });

    it('leaves a value the field takes neither way for validation to report at its path', () => {
      const wrong = template({ name: 'wrong', parameters: { n: { type: 'integer', default: 3 } }, spec: { job_type: 'stream', artifact_path: 'a.jar', deployment: { upgrade_mode: '${params.n}' }, monitoring: { log_level: '${params.n}' } } });
      const rendered = renderTemplateUse({ name: 'wrong', version: 1, params: {}, fields: { job_id: 'j' } }, [wrong]);
      // Enums of text take text: the number becomes "3", which the enum then refuses by name.
      expect(rendered.ok && rendered.value.deployment).toEqual({ upgrade_mode: '3' });
      const valid = validateSpec(rendered.ok ? rendered.value : {});
      expect(valid.ok ? [] : valid.errors.map((e) => e.path).sort()).toEqual(['deployment.upgrade_mode', 'monitoring.log_level']);
    });
  });

  it('leaves a field unset when its optional parameter has no value, and interpolates typed values in text', () => {
    expect(substitute({ a: '${params.x}', b: 'n=${params.n}', c: ['${params.x}'] }, { n: 3 })).toEqual({ b: 'n=3', c: [null] });
  });
});

describe('the shipped examples (examples/templates)', () => {
  const example = (file: string): unknown => parseYaml(readFileSync(join(WORKSPACE, 'examples', 'templates', file), 'utf8'));
  it('render orders-counter-job into a valid spec: the integer rate is text in args, parallelism a number', () => {
    const chain = ['stream-base.yaml', 'stream-counter.yaml'].map((f) => template(example(f)));
    expect(templateErrors(chain[0], null)).toEqual([]);
    expect(templateErrors(chain[1], resolveChain([chain[0]]))).toEqual([]);
    const use = templateUseOf(example('orders-counter-job.yaml'));
    if (use === null || !use.ok) throw new Error(`not a template use: ${JSON.stringify(use)}`);
    const rendered = renderTemplateUse(use.value, chain);
    const valid = validateSpec(rendered.ok ? rendered.value : {});
    expect(valid.ok ? [valid.spec.args, valid.spec.deployment.parallelism] : valid.errors).toEqual([['--mode', 'stream', '--rate', '50', '--keys', '8', '--name', 'orders'], 1]);
  });
});

describe('templateUseOf', () => {
  it('is null for a spec written whole', () => {
    expect(templateUseOf({ job_id: 'a', job_type: 'stream' })).toBeNull();
  });
  it('splits the template, its params and the job fields', () => {
    expect(templateUseOf({ template: 'stream-base@3', params: { topic: 'a' }, job_id: 'a' })).toEqual({ ok: true, value: { name: 'stream-base', version: 3, params: { topic: 'a' }, fields: { job_id: 'a' } } });
  });
  it('names the field when the reference or params are malformed', () => {
    expect(templateUseOf({ template: 'stream-base', params: [1] })).toEqual({
      ok: false,
      errors: [
        { path: 'template', code: 'FJC_TEMPLATE_INVALID', message: 'must be NAME@VERSION, e.g. stream-base@2, got "stream-base"' },
        { path: 'params', code: 'FJC_TEMPLATE_INVALID', message: 'must be a mapping of parameter names to values, got a list' },
      ],
    });
  });
});

describe('checking a template before it is recorded', () => {
  it('accepts the parent and the child', () => {
    expect(templateErrors(base, null)).toEqual([]);
    expect(templateErrors(stream, resolveChain([base]))).toEqual([]);
  });
  it('refuses placeholders of undeclared parameters, bad defaults, bad bounds and a job_id', () => {
    const bad = template({
      name: 'bad',
      parameters: { p: { type: 'integer', default: 'x', min: 5, max: 1 }, s: { type: 'string', pattern: '(' } },
      spec: { job_id: 'x', args: ['${params.nope}'] },
    });
    expect(templateErrors(bad, null).map((e) => e.path)).toEqual(['spec.job_id', 'parameters.p.min', 'parameters.p.default', 'parameters.s.pattern', 'spec.args[0]']);
  });
  it('names the field of a malformed template document', () => {
    const parsed = parseJobTemplate({ name: 'x', parameters: { p: { type: 'float' } } });
    expect(parsed.ok ? [] : parsed.errors.map((e) => [e.path, e.code])).toEqual([['parameters.p.type', 'FJC_TEMPLATE_INVALID']]);
  });
});

describe('JSON Schema of the template', () => {
  it(`is committed up to date at ${JOB_TEMPLATE_SCHEMA_FILE} (regenerate with \`npx nx run contracts:generate\`)`, () => {
    expect(readFileSync(join(WORKSPACE, JOB_TEMPLATE_SCHEMA_FILE), 'utf8')).toBe(jobTemplateJsonSchemaText());
  });
});
