// `fjc template apply FILE | get NAME[@VERSION] | list | plan NAME@VERSION | rollout NAME --to VERSION`:
// templates (docs/templates.md). apply records a version (a template change changes no job);
// plan shows, for every job that uses the template, what moving it to the version would do
// (each job's plan, as `fjc plan` shows it); rollout applies that version to the jobs, each
// through the normal apply path. -o json|yaml prints the service's answer as it is. Exits 1 when
// a file, the request, or (rollout) any job is refused.
import type { Command } from 'commander';
import {
  parseSpecDocument,
  parseTemplateRef,
  TemplateApplyResponseSchema,
  TemplateListSchema,
  TemplatePlanResponseSchema,
  TemplateRolloutResponseSchema,
  TemplateVersionViewSchema,
  type TemplatePlanResponse,
  type TemplateRolloutResponse,
} from '@fjc/contracts';
import { stringify } from 'yaml';
import { FjcApi } from '../api-client';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { parseVersion } from '../options';
import { formatOf, printData, withOutput, type OutputOptions } from '../output';
import { errorLine, inFileOrder, type Issue } from '../report';
import { readSpecText } from '../spec-files';
import { table } from '../table';
import { located } from './apply';
import { planText } from './plan';

const templatePath = (name: string, action = '') => `/api/v1/templates/${encodeURIComponent(name)}${action}`;

export function registerTemplate(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  const template = program.command('template').description('job templates: record versions, read them, plan and roll out a version to the jobs that use a template');
  withOutput(template.command('apply').description('record a template version from a file (YAML or JSON); changes no job').argument('<file>', 'the template file')).action(
    async (file: string, options: OutputOptions) => finish(await applyTemplate(file, options, io, FjcApi.fromEnv())),
  );
  withOutput(template.command('get').description('show a template version (the latest without @VERSION)').argument('<name>', 'NAME or NAME@VERSION')).action(
    async (name: string, options: OutputOptions) => finish(await getTemplate(name, options, io, FjcApi.fromEnv())),
  );
  withOutput(template.command('list').description('list templates: latest version, parent, how many jobs use each')).action(async (options: OutputOptions) => finish(await listTemplates(options, io, FjcApi.fromEnv())));
  withOutput(
    template
      .command('plan')
      .description('show which jobs would change, and how, if they moved to this template version; changes nothing')
      .argument('<ref>', 'NAME@VERSION')
      .option('--jobs <ids>', 'only these jobs (comma-separated)', splitJobs),
  ).action(async (ref: string, options: RolloutOptions) => finish(await planTemplate(ref, options, io, FjcApi.fromEnv())));
  withOutput(
    template
      .command('rollout')
      .description('move the jobs that use a template to one of its versions, each through its own upgrade mode and gates')
      .argument('<name>', 'the template')
      .requiredOption('--to <version>', 'the template version', parseVersion)
      .option('--jobs <ids>', 'only these jobs (comma-separated)', splitJobs),
  ).action(async (name: string, options: RolloutOptions & { to: number }) => finish(await rolloutTemplate(name, options.to, options, io, FjcApi.fromEnv())));
}

interface RolloutOptions extends OutputOptions {
  readonly jobs?: string[];
}

function splitJobs(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export async function applyTemplate(file: string, options: OutputOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const text = readSpecText(file);
  if (!text.ok) return refused(io, file, [{ path: '', message: text.message }]);
  const document = parseSpecDocument(text.value, file);
  if (!document.ok) return refused(io, file, document.errors);
  const name = (document.value as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || name === '') return refused(io, file, [{ path: 'name', message: 'is required' }]);
  const result = await api.call(
    { method: 'PUT', path: templatePath(name), body: { contentType: document.format === 'json' ? 'application/json' : 'application/yaml', text: text.value } },
    TemplateApplyResponseSchema,
  );
  if (!result.ok) return refused(io, file, result.errors.map((e) => located(e, document.locate)));
  const { version, changed } = result.body;
  printData(io, formatOf(options), result.raw, () => `${name}@${version} (${changed ? (result.status === 201 ? 'created' : 'new version') : 'unchanged'})\n`);
  return EXIT.ok;
}

export async function getTemplate(nameOrRef: string, options: OutputOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const ref = parseTemplateRef(nameOrRef);
  const path = ref ? templatePath(ref.name, `/versions/${ref.version}`) : templatePath(nameOrRef);
  const result = await api.call({ method: 'GET', path }, TemplateVersionViewSchema);
  if (!result.ok) return failed(io, nameOrRef, result.errors);
  const v = result.body;
  printData(io, formatOf(options), result.raw, () => `# ${v.name}@${v.version}, recorded ${v.recordedAt} by ${v.actor.kind}:${v.actor.id}\n${stringify(v.template)}`);
  return EXIT.ok;
}

export async function listTemplates(options: OutputOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const result = await api.call({ method: 'GET', path: '/api/v1/templates' }, TemplateListSchema);
  if (!result.ok) return failed(io, 'templates', result.errors);
  printData(io, formatOf(options), result.raw, () =>
    table(
      ['NAME', 'LATEST', 'EXTENDS', 'JOBS', 'RECORDED', 'DESCRIPTION'],
      result.body.templates.map((t) => [t.name, String(t.latestVersion), t.extends ?? '-', String(t.jobs), t.recordedAt, t.description ?? '']),
    ),
  );
  return EXIT.ok;
}

export async function planTemplate(refText: string, options: RolloutOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const ref = parseTemplateRef(refText);
  if (ref === null) return failed(io, refText, [{ path: '', message: 'must be NAME@VERSION, e.g. stream-base@2' }]);
  const result = await api.call({ method: 'POST', path: templatePath(ref.name, '/plan'), body: rolloutBody(ref.version, options.jobs) }, TemplatePlanResponseSchema);
  if (!result.ok) return failed(io, refText, result.errors);
  printData(io, formatOf(options), result.raw, () => templatePlanText(result.body));
  return EXIT.ok;
}

export async function rolloutTemplate(name: string, toVersion: number, options: RolloutOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const result = await api.call({ method: 'POST', path: templatePath(name, '/rollout'), body: rolloutBody(toVersion, options.jobs) }, TemplateRolloutResponseSchema);
  if (!result.ok) return failed(io, `${name}@${toVersion}`, result.errors);
  printData(io, formatOf(options), result.raw, () => rolloutTable(result.body));
  return result.body.jobs.some((j) => j.status === 'rejected') ? EXIT.invalid : EXIT.ok;
}

function rolloutBody(toVersion: number, jobs: readonly string[] | undefined) {
  return { contentType: 'application/json', text: JSON.stringify({ toVersion, ...(jobs && jobs.length > 0 ? { jobs } : {}) }) };
}

/** Per job: from which template version, the outcome, then its plan as `fjc plan` prints it. */
export function templatePlanText(plan: TemplatePlanResponse): string {
  if (plan.jobs.length === 0) return `${plan.name}@${plan.toVersion}: no job uses ${plan.name}\n`;
  const parts = plan.jobs.map((j) => {
    const head = `== ${j.jobId}: ${plan.name}@${j.fromVersion} -> @${plan.toVersion}: ${j.outcome}`;
    if (j.plan === null) return `${head}\n${j.errors.map((e) => `  ${e.path ? `${e.path}: ` : ''}${e.message} [${e.code}]`).join('\n')}\n`;
    return `${head}\n${planText(j.jobId, j.plan)}`;
  });
  const changing = plan.jobs.filter((j) => j.outcome === 'change').length;
  return `${parts.join('\n')}\n${changing} of ${plan.jobs.length} jobs would change\n`;
}

function rolloutTable(r: TemplateRolloutResponse): string {
  return table(
    ['JOB', 'FROM', 'STATUS', 'SPEC VERSION', 'ERRORS'],
    r.jobs.map((j) => [j.jobId, `${r.name}@${j.fromVersion}`, j.status, j.version === null ? '-' : String(j.version), j.errors.map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`).join('; ') || '-']),
  );
}

function refused(io: CliIo, file: string, errors: readonly Issue[]): ExitCode {
  for (const error of inFileOrder(errors)) io.out(`${errorLine(file, error)}\n`);
  return EXIT.invalid;
}

function failed(io: CliIo, what: string, errors: readonly { path: string; message: string }[]): ExitCode {
  for (const e of errors) io.err(`${what}: ${e.path ? `${e.path}: ` : ''}${e.message}\n`);
  return EXIT.invalid;
}
