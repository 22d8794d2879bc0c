// `fjc delete JOB_ID`: FJC cancels the job in Flink and ends its spec stream; the id is not reused.
import type { Command } from 'commander';
import type { CliIo, ExitCode } from '../cli-io';
import { reasonBody, runJobChange, type JobChangeOptions } from '../job-change';
import { parseVersion } from '../options';

export function registerDelete(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  program
    .command('delete')
    .description('delete a job: it is cancelled in Flink; its history stays in the audit trail')
    .argument('<jobId>', 'the job')
    .option('--reason <text>', 'why, for the audit trail')
    .option('--if-match <version>', 'only if the job is at this version', parseVersion)
    .action(async (jobId: string, options: JobChangeOptions) =>
      finish(
        await runJobChange(
          {
            jobId,
            method: 'DELETE',
            action: '',
            body: reasonBody(options),
            ifMatch: options.ifMatch,
            describe: (version, changed) => (changed ? `deletion requested (last version ${version})` : `already deleted (last version ${version})`),
          },
          io,
        ),
      ),
    );
}
