// Pipelines: `fjc pipeline apply FILE` (PUT /api/v1/pipelines/{pipeline_id}), `fjc pipeline start
// PIPELINE` (a run now), `fjc runs PIPELINE` (its runs, newest first), `fjc run show RUN` (each
// stage's status, attempt and the arguments its job got) and `fjc run retry RUN --from-stage S`.
// The service decides and checks everything; errors print as `file: path: message (line N)`.
import { PIPELINE_ID_PATTERN, PipelineApplyResponseSchema, PipelineRunListSchema, PipelineRunViewSchema, parseSpecDocument, type PipelineRunView } from '@fjc/contracts';
import type { Command } from 'commander';
import { FjcApi } from '../api-client';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { formatOf, printData, withOutput, type OutputOptions } from '../output';
import { errorLine, inFileOrder } from '../report';
import { readSpecText } from '../spec-files';
import { located } from './apply';

const pipelinePath = (id: string, action = ''): string => `/api/v1/pipelines/${encodeURIComponent(id)}${action}`;
const runPath = (id: string, action = ''): string => `/api/v1/pipeline-runs/${encodeURIComponent(id)}${action}`;

export function registerPipeline(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  const pipeline = program.command('pipeline').description('pipelines: graphs of batch jobs run in order');
  pipeline
    .command('apply')
    .description('apply a pipeline file: a new version only where it changed')
    .argument('<file>', 'the pipeline (YAML or JSON)')
    .action(async (file: string) => finish(await applyPipeline(file, io, FjcApi.fromEnv())));
  withOutput(pipeline.command('start').description('start a run of a pipeline now').argument('<pipeline>', 'the pipeline')).action(async (id: string, options: OutputOptions) =>
    finish(await startRun(id, options, io, FjcApi.fromEnv())),
  );
  withOutput(program.command('runs').description("list a pipeline's runs, newest first").argument('<pipeline>', 'the pipeline')).action(async (id: string, options: OutputOptions) =>
    finish(await listRuns(id, options, io, FjcApi.fromEnv())),
  );
  const run = program.command('run').description('pipeline runs');
  withOutput(run.command('show').description("show a run: status, and each stage's status, attempt, arguments and outputs").argument('<run>', 'the run id')).action(
    async (id: string, options: OutputOptions) => finish(await showRun(id, options, io, FjcApi.fromEnv())),
  );
  withOutput(
    run
      .command('retry')
      .description('run an ended run again from a stage: it and what follows it (and any stage that had not finished); finished stages are not run again')
      .argument('<run>', 'the run id')
      .requiredOption('--from-stage <stage>', 'the stage to start again from'),
  ).action(async (id: string, options: OutputOptions & { fromStage: string }) => finish(await retryRun(id, options.fromStage, options, io, FjcApi.fromEnv())));
}

export async function applyPipeline(file: string, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const text = readSpecText(file);
  if (!text.ok) {
    io.err(`${file}: ${text.message}\n`);
    return EXIT.invalid;
  }
  const document = parseSpecDocument(text.value, file);
  if (!document.ok) {
    for (const e of inFileOrder(document.errors)) io.err(`${errorLine(file, e)}\n`);
    return EXIT.invalid;
  }
  const id = (document.value as { pipeline_id?: unknown } | null)?.pipeline_id;
  if (typeof id !== 'string' || !PIPELINE_ID_PATTERN.test(id)) {
    io.err(`${file}: pipeline_id: is required: 1 to 42 lowercase letters, digits or "-"\n`);
    return EXIT.invalid;
  }
  const result = await api.call(
    { method: 'PUT', path: pipelinePath(id), body: { contentType: document.format === 'json' ? 'application/json' : 'application/yaml', text: text.value } },
    PipelineApplyResponseSchema,
  );
  if (!result.ok) {
    for (const e of inFileOrder(result.errors.map((x) => located(x, document.locate)))) io.err(`${errorLine(file, e)}\n`);
    return EXIT.invalid;
  }
  io.out(`${id}: version ${result.body.version} (${result.status === 201 ? 'created' : result.body.changed ? 'updated' : 'unchanged'})\n`);
  return EXIT.ok;
}

async function startRun(id: string, options: OutputOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  return shown(io, options, id, await api.call({ method: 'POST', path: pipelinePath(id, '/runs') }, PipelineRunViewSchema));
}

async function showRun(id: string, options: OutputOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  return shown(io, options, id, await api.call({ method: 'GET', path: runPath(id) }, PipelineRunViewSchema));
}

async function retryRun(id: string, fromStage: string, options: OutputOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const body = { contentType: 'application/json', text: JSON.stringify({ from_stage: fromStage }) };
  return shown(io, options, id, await api.call({ method: 'POST', path: runPath(id, '/retry'), body }, PipelineRunViewSchema));
}

async function listRuns(id: string, options: OutputOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const result = await api.call({ method: 'GET', path: pipelinePath(id, '/runs') }, PipelineRunListSchema);
  if (!result.ok) return failed(io, id, result.errors);
  printData(io, formatOf(options), result.raw, () =>
    result.body.runs.length === 0 ? 'no runs\n' : result.body.runs.map((r) => `${r.runId}  ${r.status.padEnd(9)} ${r.trigger.padEnd(8)} ${r.scheduledTime}${r.reason ? `  ${r.reason}` : ''}\n`).join(''),
  );
  return EXIT.ok;
}

function shown(io: CliIo, options: OutputOptions, id: string, result: Awaited<ReturnType<FjcApi['call']>> & { body?: unknown }): ExitCode {
  if (!result.ok) return failed(io, id, result.errors);
  const run = result.body as PipelineRunView;
  printData(io, formatOf(options), result.raw, () => runText(run));
  return EXIT.ok;
}

function failed(io: CliIo, id: string, errors: readonly { message: string; code?: string }[]): ExitCode {
  for (const e of errors) io.err(`${id}: ${e.message}${e.code ? ` (${e.code})` : ''}\n`);
  return EXIT.invalid;
}

export function runText(run: PipelineRunView): string {
  const head = `run:       ${run.runId} (pipeline ${run.pipelineId} version ${run.pipelineVersion}, ${run.trigger})\nstatus:    ${run.status}${run.reason ? ` (${run.reason})` : ''}\nscheduled: ${run.scheduledTime}\n`;
  const stages = run.stages.map((s) => `  ${s.stage.padEnd(20)} ${s.status.padEnd(13)} attempt ${s.attempt}${s.args ? `  args: ${s.args.join(' ')}` : ''}${s.reason ? `  (${s.reason})` : ''}\n`).join('');
  return `${head}stages:\n${stages}`;
}
