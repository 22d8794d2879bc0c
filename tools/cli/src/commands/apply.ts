// `fjc apply FILE|DIR...`: sends each spec to the spec-service (PUT /api/v1/jobs/{job_id}) and
// prints `jobId: version N (created|updated|unchanged)`, or the file's errors as
// `file: path: message (line N)`. The service decides; the CLI only reads the file far enough
// to find the job id (a file without a usable one is reported from local validation).
// --wait then follows every applied job until its version is done (wait/version-outcome.ts says
// what done means per job type), printing a line per status change. Exits 1 when any file was
// refused or unreadable or a version failed, 124 when --timeout ran out first.
// -o json|yaml prints the results (with each wait's outcome and last status) instead; the
// lines for people then go to stderr.
import { ApplyResponseSchema, JOB_ID_PATTERN, parseFieldPath, parseSpecDocument, validateSpecDocument, type ApiError, type ApplyResponse, type LocateField } from '@fjc/contracts';
import { Option, type Command } from 'commander';
import { FjcApi, jobPath } from '../api-client';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { parseDurationOption, parseVersion } from '../options';
import { formatOf, noteTo, printData, withOutput, type OutputOptions } from '../output';
import { errorLine, inFileOrder, warningLine, type Issue } from '../report';
import { findSpecFiles, readSpecText } from '../spec-files';
import { followVersion, type FollowResult } from '../wait/follow-version';

type Outcome = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface ApplyOptions extends OutputOptions {
  readonly ifMatch?: number;
  readonly wait?: boolean;
  readonly timeout?: number;
  readonly pollInterval?: number;
}

/** One file's result, as -o json|yaml prints it. */
type FileResult =
  | ({ readonly file: string; readonly outcome: Exclude<Outcome, 'rejected'> } & ApplyResponse & { wait?: { outcome: FollowResult['kind']; message: string; job: FollowResult['job'] } })
  | { readonly file: string; readonly outcome: 'rejected'; readonly errors: readonly Issue[] };

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

export function registerApply(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withOutput(
    program
      .command('apply')
      .description('apply job specs (files, or directories of .yaml, .yml and .json files): a new version only where a spec changed')
      .argument('<paths...>', 'spec files or directories')
      .option('--if-match <version>', 'apply only if the job is at this version (one file only)', parseVersion)
      .option('--wait', 'then follow each job until its version is stable (or finished, scheduled, suspended), failed or rolled back')
      .option('--timeout <duration>', 'how long --wait waits (30s, 10m, 1h); exit 124 when it runs out', parseDurationOption)
      .addOption(new Option('--poll-interval <duration>', 'how often --wait reads the status').argParser(parseDurationOption).default(1000).hideHelp()),
  ).action(async (paths: string[], options: ApplyOptions) => finish(await applyFiles(paths, options, io, FjcApi.fromEnv())));
}

export async function applyFiles(paths: readonly string[], options: ApplyOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const format = formatOf(options);
  const note = noteTo(io, format);
  const { files, problems } = findSpecFiles(paths);
  if (options.ifMatch !== undefined && files.length !== 1) {
    io.err(`fjc: --if-match needs exactly one spec file, got ${files.length}\n`);
    return EXIT.usage;
  }
  if (options.timeout !== undefined && !options.wait) {
    io.err('fjc: --timeout is for --wait\n');
    return EXIT.usage;
  }
  for (const problem of problems) note(`${problem.path}: ${problem.message}\n`);
  const results: FileResult[] = [];
  for (const file of files) results.push(await applyFile(file, options, note, api));
  const counts: Record<Outcome, number> = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const r of results) counts[r.outcome] += 1;
  note(`${summary(counts)}\n`);

  let waitCode: ExitCode = EXIT.ok;
  if (options.wait) {
    const applied = results.filter((r): r is Extract<FileResult, { outcome: 'created' | 'updated' | 'unchanged' }> => r.outcome !== 'rejected');
    const follow = { timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS, intervalMs: options.pollInterval ?? 1000 };
    const outcomes = await Promise.all(
      applied.map(async (r) => {
        const done = await followVersion(api, r.jobId, r.version, follow, (line) => note(`${line}\n`));
        r.wait = { outcome: done.kind, message: done.message, job: done.job };
        (done.kind === 'stable' ? note : io.err)(`${r.jobId}: ${done.kind === 'stable' ? '' : `${done.kind}: `}${done.message}\n`);
        return done.kind;
      }),
    );
    waitCode = outcomes.some((k) => k !== 'stable' && k !== 'timeout') ? EXIT.invalid : outcomes.includes('timeout') ? EXIT.timeout : EXIT.ok;
  }
  if (format !== 'table') printData(io, format, { results }, () => '');
  if (counts.rejected > 0 || problems.length > 0) return EXIT.invalid;
  return waitCode;
}

async function applyFile(file: string, options: ApplyOptions, note: (text: string) => void, api: FjcApi): Promise<FileResult> {
  const text = readSpecText(file);
  if (!text.ok) return rejected(note, file, [{ path: '', message: text.message }]);
  const document = parseSpecDocument(text.value, file);
  if (!document.ok) return rejected(note, file, document.errors);
  const jobId = jobIdOf(document.value);
  if (jobId === null) {
    const local = validateSpecDocument(text.value, file);
    return rejected(note, file, local.ok ? [{ path: 'job_id', message: 'is required' }] : local.errors);
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
  if (!result.ok) return rejected(note, file, result.errors.map((e) => located(e, document.locate)));
  const outcome = result.status === 201 ? 'created' : result.body.changed ? 'updated' : 'unchanged';
  note(`${result.body.jobId}: version ${result.body.version} (${outcome})\n`);
  for (const warning of inFileOrder(result.body.warnings.map((w) => located(w, document.locate)))) note(`${warningLine(file, warning)}\n`);
  return { file, outcome, ...result.body };
}

function rejected(note: (text: string) => void, file: string, errors: readonly Issue[]): FileResult {
  for (const error of inFileOrder(errors)) note(`${errorLine(file, error)}\n`);
  return { file, outcome: 'rejected', errors };
}

export function jobIdOf(value: unknown): string | null {
  const jobId = typeof value === 'object' && value !== null ? (value as { job_id?: unknown }).job_id : undefined;
  return typeof jobId === 'string' && JOB_ID_PATTERN.test(jobId) ? jobId : null;
}

/** Errors of JSON bodies come back without lines: find them in the file. */
export function located(issue: ApiError, locate: LocateField): Issue {
  if (issue.line !== undefined || issue.path === '') return issue;
  const segments = parseFieldPath(issue.path);
  const at = segments === undefined || segments.length === 0 ? undefined : locate(segments);
  return at === undefined ? issue : { ...issue, line: at.line, column: at.column };
}

function summary(counts: Record<Outcome, number>): string {
  const parts = (['created', 'updated', 'unchanged', 'rejected'] as const).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`);
  return parts.length === 0 ? 'no specs applied' : parts.join(', ');
}
