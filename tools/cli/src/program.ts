// The fjc command line: one file per command under commands/, registered here. Usage errors
// exit with 2, invalid input with 1.
import { Command, CommanderError } from 'commander';
import { EXIT, type CliIo, type ExitCode } from './cli-io';
import { registerSchema } from './commands/schema';
import { registerValidate } from './commands/validate';

export async function runCli(args: readonly string[], io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  const finish = (code: ExitCode): void => {
    exitCode = code;
  };
  const program = new Command('fjc')
    .description('FJC, the Flink Job Controller: check job specs (later: apply them, watch jobs, roll back)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run fjc --help for usage)');
  registerValidate(program, io, finish);
  registerSchema(program, io, finish);

  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  return exitCode;
}
