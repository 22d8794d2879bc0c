// The fjc command line: one file per command under commands/, registered here. Usage errors
// exit with 2, invalid or refused input with 1, an unreachable spec-service with 69.
import { Command, CommanderError } from 'commander';
import { ApiUnavailableError } from './api-client';
import { EXIT, type CliIo, type ExitCode } from './cli-io';
import { registerApply } from './commands/apply';
import { registerDb } from './commands/db';
import { registerDelete } from './commands/delete';
import { registerDlq } from './commands/dlq';
import { registerEvents } from './commands/events';
import { registerGet } from './commands/get';
import { registerList } from './commands/list';
import { registerLog } from './commands/log';
import { registerPlan } from './commands/plan';
import { registerRecover } from './commands/recover';
import { registerResume } from './commands/resume';
import { registerRollback } from './commands/rollback';
import { registerSavepoints } from './commands/savepoints';
import { registerSchema } from './commands/schema';
import { registerSuspend } from './commands/suspend';
import { registerToken } from './commands/token';
import { registerValidate } from './commands/validate';

export async function runCli(args: readonly string[], io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  const finish = (code: ExitCode): void => {
    exitCode = code;
  };
  const program = new Command('fjc')
    .description('FJC, the Flink Job Controller: check and apply job specs, watch jobs, suspend, resume, roll back, delete, recover; inspect and replay dead letters; manage API tokens.\nThe API commands talk to the spec-service at FJC_API_URL (default http://127.0.0.1:8080).')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run fjc --help for usage)');
  registerValidate(program, io, finish);
  registerSchema(program, io, finish);
  registerApply(program, io, finish);
  registerPlan(program, io, finish);
  registerGet(program, io, finish);
  registerList(program, io, finish);
  registerEvents(program, io, finish);
  registerSavepoints(program, io, finish);
  registerSuspend(program, io, finish);
  registerResume(program, io, finish);
  registerRollback(program, io, finish);
  registerDelete(program, io, finish);
  registerRecover(program, io, finish);
  registerLog(program, io, finish);
  registerDb(program, io, finish);
  registerDlq(program, io, finish);
  registerToken(program, io, finish);

  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (err) {
    if (err instanceof ApiUnavailableError) {
      io.err(`fjc: ${err.message}\n`);
      return EXIT.unavailable;
    }
    if (!(err instanceof CommanderError)) throw err;
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  return exitCode;
}
