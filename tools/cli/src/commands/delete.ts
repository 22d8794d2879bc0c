// `fjc delete JOB_ID`: FJC cancels the job in Flink; `fjc apply` on the same id later creates it again.
import type { Command } from 'commander';
import type { CliIo, ExitCode } from '../cli-io';
import { registerJobChange } from '../job-change';

export function registerDelete(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  registerJobChange(program, io, finish, {
    name: 'delete',
    description: 'delete a job: it is cancelled in Flink; its history stays in the audit trail',
    method: 'DELETE',
    action: '',
    describe: (version, changed) => (changed ? `deletion requested (last version ${version})` : `already deleted (last version ${version})`),
  });
}
