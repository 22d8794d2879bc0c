// `fjc suspend JOB_ID`: a new spec version with state suspended (FJC stops the job with a savepoint).
import type { Command } from 'commander';
import type { CliIo, ExitCode } from '../cli-io';
import { reasonBody, runJobChange, type JobChangeOptions } from '../job-change';
import { parseVersion } from '../options';

export function registerSuspend(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  program
    .command('suspend')
    .description('suspend a job: it is stopped with a savepoint and its spec kept')
    .argument('<jobId>', 'the job')
    .option('--reason <text>', 'why, for the audit trail')
    .option('--if-match <version>', 'only if the job is at this version', parseVersion)
    .action(async (jobId: string, options: JobChangeOptions) =>
      finish(
        await runJobChange(
          {
            jobId,
            method: 'POST',
            action: '/suspend',
            body: reasonBody(options),
            ifMatch: options.ifMatch,
            describe: (version, changed) => (changed ? `suspended as version ${version}` : `already suspended (version ${version})`),
          },
          io,
        ),
      ),
    );
}
