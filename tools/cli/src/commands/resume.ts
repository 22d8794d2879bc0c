// `fjc resume JOB_ID`: a new spec version with state running (FJC restarts it from its latest savepoint).
import type { Command } from 'commander';
import type { CliIo, ExitCode } from '../cli-io';
import { reasonBody, runJobChange, type JobChangeOptions } from '../job-change';
import { parseVersion } from '../options';

export function registerResume(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  program
    .command('resume')
    .description('resume a suspended job from its latest savepoint')
    .argument('<jobId>', 'the job')
    .option('--reason <text>', 'why, for the audit trail')
    .option('--if-match <version>', 'only if the job is at this version', parseVersion)
    .action(async (jobId: string, options: JobChangeOptions) =>
      finish(
        await runJobChange(
          {
            jobId,
            method: 'POST',
            action: '/resume',
            body: reasonBody(options),
            ifMatch: options.ifMatch,
            describe: (version, changed) => (changed ? `resumed as version ${version}` : `already running (version ${version})`),
          },
          io,
        ),
      ),
    );
}
