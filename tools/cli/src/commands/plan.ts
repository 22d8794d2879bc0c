// `fjc plan FILE`: what applying the spec would do, before anything changes (POST
// /api/v1/jobs/{job_id}/plan): the change class, the steps in order, slots needed against free,
// the jar, the diff against the deployed version with each field's effect, and every warning.
// `-o json|yaml` prints the service's answer as it is. Exits 0 with a plan, 1 when the spec is
// refused (the errors apply would give, as `file: path: message`).
import type { Command } from 'commander';
import { parseSpecDocument, PlanResponseSchema, validateSpecDocument, type PlanResponse } from '@fjc/contracts';
import { FjcApi, jobPath } from '../api-client';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { parseVersion } from '../options';
import { formatOf, printData, withOutput, type OutputOptions } from '../output';
import { errorLine, inFileOrder, warningLine, type Issue } from '../report';
import { readSpecText } from '../spec-files';
import { jobIdOf, located } from './apply';

export interface PlanOptions extends OutputOptions {
  readonly ifMatch?: number;
}

export function registerPlan(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withOutput(
    program
      .command('plan')
      .description('show what applying a spec would do (change class, steps, slots, jar, diff against the running version, warnings); changes nothing')
      .argument('<file>', 'the spec file (YAML or JSON)'),
  )
    .option('--if-match <version>', 'plan only if the job is at this version', parseVersion)
    .action(async (file: string, options: PlanOptions) => finish(await planFile(file, options, io, FjcApi.fromEnv())));
}

export async function planFile(file: string, options: PlanOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const text = readSpecText(file);
  if (!text.ok) return refused(io, file, [{ path: '', message: text.message }]);
  const document = parseSpecDocument(text.value, file);
  if (!document.ok) return refused(io, file, document.errors);
  const jobId = jobIdOf(document.value);
  if (jobId === null) {
    const local = validateSpecDocument(text.value, file);
    return refused(io, file, local.ok ? [{ path: 'job_id', message: 'is required' }] : local.errors);
  }
  const result = await api.call(
    {
      method: 'POST',
      path: jobPath(jobId, '/plan'),
      body: { contentType: document.format === 'json' ? 'application/json' : 'application/yaml', text: text.value },
      ifMatch: options.ifMatch,
    },
    PlanResponseSchema,
  );
  if (!result.ok) return refused(io, file, result.errors.map((e) => located(e, document.locate)));
  const plan = result.body;
  printData(io, formatOf(options), plan, () => planText(file, { ...plan, warnings: inFileOrder(plan.warnings.map((w) => located(w, document.locate))) as PlanResponse['warnings'] }));
  return EXIT.ok;
}

function refused(io: CliIo, file: string, errors: readonly Issue[]): ExitCode {
  for (const error of inFileOrder(errors)) io.out(`${errorLine(file, error)}\n`);
  return EXIT.invalid;
}

/** The plan for a person: class first, then steps, slots, jar, diff and warnings. */
export function planText(file: string, plan: PlanResponse): string {
  const lines: string[] = [];
  const versions = plan.changed ? `version ${plan.currentVersion ?? '-'} -> ${plan.version}` : `version ${plan.version}, unchanged`;
  const compared = plan.comparedWith ? `, compared with ${plan.comparedWith.as} version ${plan.comparedWith.version}` : '';
  lines.push(`${plan.jobId}: ${plan.changeClass} (${plan.jobType}; ${versions}${compared})`);
  if (plan.job) lines.push(`now: ${plan.job.state}${plan.job.flinkJobId ? `, Flink job ${plan.job.flinkJobId}` : ''}`);
  lines.push('steps:');
  plan.steps.forEach((step, i) => lines.push(`  ${i + 1}. ${step.text}`));
  lines.push(`slots: ${slotsText(plan.slots)}`);
  lines.push(`jar: ${jarText(plan.jar)}`);
  if (plan.comparedWith) {
    lines.push(plan.diff.length === 0 ? 'diff: none' : `diff against version ${plan.comparedWith.version}:`);
    for (const d of plan.diff) lines.push(`  ${d.path}: ${value(d.old)} -> ${value(d.new)} (${d.effect})`);
  }
  if (plan.warnings.length > 0) {
    lines.push('warnings:');
    for (const w of plan.warnings) lines.push(`  ${warningLine(file, w)}`);
  }
  return `${lines.join('\n')}\n`;
}

function slotsText(s: PlanResponse['slots']): string {
  const need = `needs ${s.needed}${s.released > 0 ? `, ${s.released} freed first` : ''}`;
  if (s.free === null) return `cluster ${s.cluster}: ${need}; free ${s.note}`;
  const verdict = s.enough ? 'enough' : 'NOT ENOUGH';
  const cluster = [s.flinkVersion ? `Flink ${s.flinkVersion}` : null, s.taskManagers !== null ? `${s.taskManagers} TaskManager${s.taskManagers === 1 ? '' : 's'}` : null].filter(Boolean).join(', ');
  return `cluster ${s.cluster}${cluster ? ` (${cluster})` : ''}: ${need}; ${s.free} of ${s.total ?? '?'} free, observed ${s.ageSeconds} s ago: ${verdict}`;
}

function jarText(j: PlanResponse['jar']): string {
  const side = (x: NonNullable<PlanResponse['jar']['from']>) => `${x.path}${x.sha256 ? ` (sha256 ${x.sha256.slice(0, 12)}..., ${x.sha256Source})` : ''}`;
  const what = j.from === null ? `new ${side(j.to)}` : j.changed ? `${side(j.from)} -> ${side(j.to)}` : `unchanged ${side(j.from)}`;
  return `${what}; ${j.note}`;
}

function value(v: unknown): string {
  return v === null || v === undefined ? '(unset)' : typeof v === 'string' ? v : JSON.stringify(v);
}
