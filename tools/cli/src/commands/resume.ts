// `fjc resume JOB_ID`: a new spec version with state running (FJC restarts it from its latest savepoint).
import type { Command } from 'commander';
import type { CliIo, ExitCode } from '../cli-io';
import { registerJobChange } from '../job-change';

export function registerResume(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  registerJobChange(program, io, finish, {
    name: 'resume',
    description: 'resume a suspended job from its latest savepoint',
    method: 'POST',
    action: '/resume',
    describe: (version, changed) => (changed ? `resumed as version ${version}` : `already running (version ${version})`),
  });
}
