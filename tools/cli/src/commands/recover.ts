// `fjc recover JOB_ID --from-savepoint PATH | --empty-state`: an operator's decision about a job
// that lost its state (NEEDS_ATTENTION, FJC_STATE_NOT_FOUND). Recorded with the actor
// (the caller's authenticated identity); the reconciler starts the job as decided.
import type { Command } from 'commander';
import { z } from 'zod';
import { FjcApi, jobPath } from '../api-client';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { parseVersion } from '../options';

const RecoverResponseSchema = z.object({ jobId: z.string(), version: z.number(), requestId: z.string() });

interface RecoverOptions {
  readonly fromSavepoint?: string;
  readonly emptyState?: boolean;
  readonly ifMatch?: number;
}

export async function runRecover(jobId: string, options: RecoverOptions, io: CliIo, api: FjcApi = FjcApi.fromEnv()): Promise<ExitCode> {
  const savepoint = options.fromSavepoint;
  if ((savepoint === undefined) === (options.emptyState !== true)) {
    io.err('fjc recover: give exactly one of --from-savepoint PATH or --empty-state\n');
    return EXIT.usage;
  }
  const from = savepoint !== undefined ? { kind: 'savepoint', path: savepoint } : { kind: 'empty-state' };
  const result = await api.call(
    { method: 'POST', path: jobPath(jobId, '/recover'), body: { contentType: 'application/json', text: JSON.stringify({ from }) }, ifMatch: options.ifMatch },
    RecoverResponseSchema,
  );
  if (!result.ok) {
    for (const e of result.errors) io.err(`${jobId}: ${e.path === '' ? '' : `${e.path}: `}${e.message}\n`);
    return EXIT.invalid;
  }
  const what = savepoint !== undefined ? `from savepoint ${savepoint}` : 'with empty state';
  io.out(`${jobId}: recovery recorded (request ${result.body.requestId}): it starts ${what} if it needs attention\n`);
  return EXIT.ok;
}

export function registerRecover(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  program
    .command('recover')
    .description('start a job that lost its state (NEEDS_ATTENTION) from a savepoint, or with empty state')
    .argument('<jobId>', 'the job')
    .option('--from-savepoint <path>', 'start it from this savepoint (or retained checkpoint)')
    .option('--empty-state', 'start it without state: its state is lost')
    .option('--if-match <version>', 'only if the job is at this version', parseVersion)
    .action(async (jobId: string, options: RecoverOptions) => finish(await runRecover(jobId, options, io)));
}
