// The fjc command line: one file per command under commands/, registered here. Usage errors
// exit with 2, invalid or refused input (or a version that failed under --wait) with 1, a --wait
// that ran out of time with 124, an unreachable spec-service with 69.
import { Command, CommanderError } from 'commander';
import { ApiUnavailableError } from './api-client';
import { EXIT, type CliIo, type ExitCode } from './cli-io';
import { registerApply } from './commands/apply';
import { registerAudit } from './commands/audit';
import { registerCompletion } from './commands/completion';
import { registerDb } from './commands/db';
import { registerDelete } from './commands/delete';
import { registerDiff } from './commands/diff';
import { registerDlq } from './commands/dlq';
import { registerEvents } from './commands/events';
import { registerExceptions } from './commands/exceptions';
import { registerGet } from './commands/get';
import { registerHistory } from './commands/history';
import { registerList } from './commands/list';
import { registerLog } from './commands/log';
import { registerPipeline } from './commands/pipeline';
import { registerPlan } from './commands/plan';
import { registerRecover } from './commands/recover';
import { registerResume } from './commands/resume';
import { registerRollback } from './commands/rollback';
import { registerSavepoints } from './commands/savepoints';
import { registerSchema } from './commands/schema';
import { registerSla } from './commands/sla';
import { registerSuspend } from './commands/suspend';
import { registerTemplate } from './commands/template';
import { registerToken } from './commands/token';
import { registerValidate } from './commands/validate';
import { registerWatch } from './commands/watch';

export async function runCli(args: readonly string[], io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  const program = fjcProgram(io, (code) => {
    exitCode = code;
  });
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

/** The fjc program with every command registered; `finish` receives the exit code of the command that ran. */
export function fjcProgram(io: CliIo, finish: (code: ExitCode) => void): Command {
  const program = new Command('fjc')
    .description('FJC, the Flink Job Controller: check and apply job specs (and wait for them), follow history, diffs, events and exceptions, suspend, resume, roll back, delete, recover; inspect and replay dead letters; manage API tokens.\nThe API commands talk to the spec-service at FJC_API_URL (default http://127.0.0.1:8080).')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run fjc --help for usage)');
  registerValidate(program, io, finish);
  registerSchema(program, io, finish);
  registerApply(program, io, finish);
  registerPlan(program, io, finish);
  registerTemplate(program, io, finish);
  registerGet(program, io, finish);
  registerList(program, io, finish);
  registerHistory(program, io, finish);
  registerDiff(program, io, finish);
  registerEvents(program, io, finish);
  registerWatch(program, io, finish);
  registerExceptions(program, io, finish);
  registerSla(program, io, finish);
  registerSavepoints(program, io, finish);
  registerSuspend(program, io, finish);
  registerResume(program, io, finish);
  registerRollback(program, io, finish);
  registerDelete(program, io, finish);
  registerPipeline(program, io, finish);
  registerRecover(program, io, finish);
  registerLog(program, io, finish);
  registerDb(program, io, finish);
  registerAudit(program, io, finish);
  registerDlq(program, io, finish);
  registerToken(program, io, finish);
  // Last: the script it prints is generated from every command registered above.
  registerCompletion(program, io, finish);

  return program;
}
