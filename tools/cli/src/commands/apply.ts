// `fjc apply FILE|DIR...`: sends each spec to the spec-service (PUT /api/v1/jobs/{job_id}) and
// prints `jobId: version N (created|updated|unchanged)`, or the file's errors as
// `file: path: message (line N)`. The service decides; the CLI only reads the file far enough
// to find the job id (a file without a usable one is reported from local validation).
// Exits 1 when any file was refused or unreadable.
import { JOB_ID_PATTERN, parseFieldPath, parseSpecDocument, validateSpecDocument, type LocateField } from '@fjc/contracts';
import type { Command } from 'commander';
import { FjcApi, jobPath } from '../api-client';
import { ApplyResponseSchema, type ApiIssue } from '../api-responses';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { parseVersion } from '../options';
import { errorLine, inFileOrder, warningLine, type Issue } from '../report';
import { findSpecFiles, readSpecText } from '../spec-files';

type Outcome = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface ApplyOptions {
  readonly ifMatch?: number;
}

export function registerApply(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  program
    .command('apply')
    .description('apply job specs (files, or directories of .yaml, .yml and .json files): a new version only where a spec changed')
    .argument('<paths...>', 'spec files or directories')
    .option('--if-match <version>', 'apply only if the job is at this version (one file only)', parseVersion)
    .action(async (paths: string[], options: ApplyOptions) => finish(await applyFiles(paths, options, io, FjcApi.fromEnv())));
}

export async function applyFiles(paths: readonly string[], options: ApplyOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const { files, problems } = findSpecFiles(paths);
  if (options.ifMatch !== undefined && files.length !== 1) {
    io.err(`fjc: --if-match needs exactly one spec file, got ${files.length}\n`);
    return EXIT.usage;
  }
  for (const problem of problems) io.out(`${problem.path}: ${problem.message}\n`);
  const counts: Record<Outcome, number> = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const file of files) counts[await applyFile(file, options, io, api)] += 1;
  io.out(`${summary(counts)}\n`);
  return counts.rejected === 0 && problems.length === 0 ? EXIT.ok : EXIT.invalid;
}

async function applyFile(file: string, options: ApplyOptions, io: CliIo, api: FjcApi): Promise<Outcome> {
  const text = readSpecText(file);
  if (!text.ok) return rejected(io, file, [{ path: '', message: text.message }]);
  const document = parseSpecDocument(text.value, file);
  if (!document.ok) return rejected(io, file, document.errors);
  const jobId = jobIdOf(document.value);
  if (jobId === null) {
    const local = validateSpecDocument(text.value, file);
    return rejected(io, file, local.ok ? [{ path: 'job_id', message: 'is required' }] : local.errors);
  }

  const result = await api.call(
    {
      method: 'PUT',
      path: jobPath(jobId),
      body: { contentType: document.format === 'json' ? 'application/json' : 'application/yaml', text: text.value },
      ifMatch: options.ifMatch,
    },
    ApplyResponseSchema,
  );
  if (!result.ok) return rejected(io, file, result.errors.map((e) => located(e, document.locate)));
  const outcome = result.status === 201 ? 'created' : result.body.changed ? 'updated' : 'unchanged';
  io.out(`${result.body.jobId}: version ${result.body.version} (${outcome})\n`);
  for (const warning of inFileOrder(result.body.warnings.map((w) => located(w, document.locate)))) io.out(`${warningLine(file, warning)}\n`);
  return outcome;
}

function rejected(io: CliIo, file: string, errors: readonly Issue[]): 'rejected' {
  for (const error of inFileOrder(errors)) io.out(`${errorLine(file, error)}\n`);
  return 'rejected';
}

export function jobIdOf(value: unknown): string | null {
  const jobId = typeof value === 'object' && value !== null ? (value as { job_id?: unknown }).job_id : undefined;
  return typeof jobId === 'string' && JOB_ID_PATTERN.test(jobId) ? jobId : null;
}

/** Errors of JSON bodies come back without lines: find them in the file. */
export function located(issue: ApiIssue, locate: LocateField): Issue {
  if (issue.line !== undefined || issue.path === '') return issue;
  const segments = parseFieldPath(issue.path);
  const at = segments === undefined || segments.length === 0 ? undefined : locate(segments);
  return at === undefined ? issue : { ...issue, line: at.line, column: at.column };
}

function summary(counts: Record<Outcome, number>): string {
  const parts = (['created', 'updated', 'unchanged', 'rejected'] as const).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`);
  return parts.length === 0 ? 'no specs applied' : parts.join(', ');
}
