// validatePipeline: the one entry point for "is this a valid pipeline?". Field errors come from
// the schema (same codes and paths as job specs); then the rules across stages: unique names,
// depends_on naming stages that exist, no cycle, nothing after a stream stage, the
// compensation stage, and every ${...} reference resolvable where it is written.
import { toFieldErrors } from '../spec/field-errors';
import { formatFieldPath, type PathSegment } from '../spec/field-path';
import { fieldIssueMessage } from '../spec/issue-messages';
import type { SpecError } from '../spec/spec-error';
import { DEFAULT_SPEC_LIMITS, valueLimitErrors, type SpecLimits } from '../spec/spec-limits';
import { closestMatch } from '../spec/suggestions';
import { PipelineSpecSchema, type PipelineSpec } from './pipeline-spec';
import { referencesIn } from './references';
import { ancestorsOf, findCycle } from './stage-graph';

export type PipelineValidation = { readonly ok: true; readonly pipeline: PipelineSpec } | { readonly ok: false; readonly errors: SpecError[] };

export function validatePipeline(input: unknown, limits: SpecLimits = DEFAULT_SPEC_LIMITS): PipelineValidation {
  const tooBig = valueLimitErrors(input, limits);
  if (tooBig.length > 0) return { ok: false, errors: tooBig };
  const parsed = PipelineSpecSchema.safeParse(input, { error: fieldIssueMessage, reportInput: true });
  if (!parsed.success) return { ok: false, errors: toFieldErrors(parsed.error.issues, { schema: PipelineSpecSchema, input }) };
  const errors = graphErrors(parsed.data);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, pipeline: parsed.data };
}

function graphErrors(pipeline: PipelineSpec): SpecError[] {
  const errors: SpecError[] = [];
  const at = (path: readonly PathSegment[], message: string, code: SpecError['code'] = 'FJC_SPEC_INVALID_VALUE'): void => {
    errors.push({ path: formatFieldPath(path), message, code });
  };
  const { stages } = pipeline;
  const names = stages.map((s) => s.name);
  const byName = new Map(stages.map((s) => [s.name, s]));

  stages.forEach((stage, i) => {
    if (names.indexOf(stage.name) !== i) at(['stages', i, 'name'], `stage ${stage.name} is named twice (first at stages[${names.indexOf(stage.name)}])`);
    stage.depends_on.forEach((dep, j) => {
      const target = byName.get(dep);
      if (!target) at(['stages', i, 'depends_on', j], `no stage is named ${dep}${suggest(dep, names)}`);
      else if (dep === stage.name) at(['stages', i, 'depends_on', j], `stage ${dep} cannot depend on itself`);
      else if (target.type === 'stream') at(['stages', i, 'depends_on', j], `stage ${dep} is a stream stage: it never finishes, so nothing can run after it`);
    });
  });
  if (errors.length > 0) return errors;

  const cycle = findCycle(stages);
  if (cycle) {
    at(['stages'], `cycle ${cycle.join(' -> ')} (each stage depends on the next)`);
    return errors;
  }

  const policy = pipeline.failure_policy;
  const compensation = policy.compensation_stage;
  if (policy.on_failure === 'compensate' && compensation === undefined) {
    at(['failure_policy', 'compensation_stage'], 'is required when on_failure is compensate', 'FJC_SPEC_REQUIRED');
  } else if (policy.on_failure !== 'compensate' && compensation !== undefined) {
    at(['failure_policy', 'compensation_stage'], `is only allowed when on_failure is compensate (it is ${policy.on_failure})`, 'FJC_SPEC_FIELD_NOT_ALLOWED');
  } else if (compensation !== undefined) {
    const stage = byName.get(compensation);
    if (!stage) at(['failure_policy', 'compensation_stage'], `no stage is named ${compensation}${suggest(compensation, names)}`);
    else if (stage.depends_on.length > 0) at(['failure_policy', 'compensation_stage'], `stage ${compensation} runs only on failure, so it cannot have depends_on`);
    else {
      const dependents = stages.filter((s) => s.depends_on.includes(compensation)).map((s) => s.name);
      if (dependents.length > 0) at(['failure_policy', 'compensation_stage'], `stage ${compensation} runs only on failure, but ${dependents.join(', ')} depend(s) on it`);
    }
    if (stages.every((s) => s.name === compensation)) at(['stages'], 'needs a stage besides the compensation stage');
  }

  stages.forEach((stage, i) => {
    const upstream = ancestorsOf(stages, stage.name);
    const check = (path: readonly PathSegment[], value: string): void => {
      for (const parsed of referencesIn(value)) {
        if (!parsed.ok) {
          at(path, parsed.problem);
          continue;
        }
        const { ref } = parsed;
        if (ref.kind === 'run') continue;
        const source = byName.get(ref.stage);
        if (!source) at(path, `${parsed.text}: no stage is named ${ref.stage}${suggest(ref.stage, names)}`);
        else if (!upstream.has(ref.stage)) at(path, `${parsed.text}: stage ${stage.name} does not depend on ${ref.stage}, so its outputs are not known when ${stage.name} starts`);
        else if (source.outputs[ref.output] === undefined) {
          const declared = Object.keys(source.outputs);
          at(path, `${parsed.text}: stage ${ref.stage} declares no output ${ref.output} (it declares ${declared.length > 0 ? declared.join(', ') : 'none'})`);
        }
      }
    };
    stage.job.args.forEach((arg, j) => check(['stages', i, 'job', 'args', j], arg));
    for (const [name, value] of Object.entries(stage.outputs)) check(['stages', i, 'outputs', name], value);
  });
  return errors;
}

function suggest(name: string, names: readonly string[]): string {
  const close = closestMatch(name, names);
  return close === undefined ? '' : ` (did you mean ${close}?)`;
}
