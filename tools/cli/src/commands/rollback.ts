// `fjc rollback JOB_ID VERSION` (or `--to VERSION`): a new spec version equal to an older one
// (history is kept). The service's warnings (FJC_ROLLBACK_*: restoring could drop state) are
// printed after the line.
import type { Command } from 'commander';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { runJobChange } from '../job-change';
import { parseVersion } from '../options';

export function registerRollback(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  program
    .command('rollback')
    .description('roll a job back to an earlier spec version: a new version with that content')
    .argument('<jobId>', 'the job')
    .argument('[toVersion]', 'the version to go back to (or --to)', parseVersion)
    .option('--to <version>', 'the version to go back to', parseVersion)
    .option('--savepoint <path>', 'start from this savepoint instead of the version\'s newest recorded one')
    .option('--if-match <version>', 'only if the job is at this version', parseVersion)
    .action(async (jobId: string, positional: number | undefined, options: { to?: number; savepoint?: string; ifMatch?: number }) => {
      const toVersion = positional ?? options.to;
      if (toVersion === undefined || (positional !== undefined && options.to !== undefined && positional !== options.to)) {
        io.err('fjc rollback: give the version to go back to once, as VERSION or --to VERSION\n');
        return finish(EXIT.usage);
      }
      finish(
        await runJobChange(
          {
            jobId,
            method: 'POST',
            action: '/rollback',
            body: { toVersion, ...(options.savepoint ? { savepointPath: options.savepoint } : {}) },
            ifMatch: options.ifMatch,
            describe: (version, changed) =>
              changed ? `rolled back to version ${toVersion} as version ${version}` : `the content of version ${toVersion} is already current (version ${version})`,
          },
          io,
        ),
      );
    });
}
