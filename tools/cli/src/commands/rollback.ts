// `fjc rollback JOB_ID VERSION`: a new spec version equal to an older one (history is kept).
import type { Command } from 'commander';
import type { CliIo, ExitCode } from '../cli-io';
import { runJobChange } from '../job-change';
import { parseVersion } from '../options';

export function registerRollback(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  program
    .command('rollback')
    .description('roll a job back to an earlier spec version: a new version with that content')
    .argument('<jobId>', 'the job')
    .argument('<toVersion>', 'the version to go back to', parseVersion)
    .option('--if-match <version>', 'only if the job is at this version', parseVersion)
    .action(async (jobId: string, toVersion: number, options: { ifMatch?: number }) =>
      finish(
        await runJobChange(
          {
            jobId,
            method: 'POST',
            action: '/rollback',
            body: { toVersion },
            ifMatch: options.ifMatch,
            describe: (version, changed) =>
              changed ? `rolled back to version ${toVersion} as version ${version}` : `the content of version ${toVersion} is already current (version ${version})`,
          },
          io,
        ),
      ),
    );
}
