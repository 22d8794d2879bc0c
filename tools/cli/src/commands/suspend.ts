// `fjc suspend JOB_ID`: a new spec version with state suspended (FJC stops the job with a savepoint).
import type { Command } from 'commander';
import type { CliIo, ExitCode } from '../cli-io';
import { registerJobChange } from '../job-change';

export function registerSuspend(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  registerJobChange(program, io, finish, {
    name: 'suspend',
    description: 'suspend a job: it is stopped with a savepoint and its spec kept',
    method: 'POST',
    action: '/suspend',
    describe: (version, changed) => (changed ? `suspended as version ${version}` : `already suspended (version ${version})`),
  });
}
