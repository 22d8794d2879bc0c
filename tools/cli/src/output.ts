// `-o table|json|yaml` for every command that prints data. table is for people; json and yaml
// print the API's answer (or the command's result) and nothing else on stdout, so scripts can
// parse it: whatever else the command has to say then goes to stderr. `--json` stays as the
// older spelling of `-o json` on the commands that had it.
import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import type { CliIo } from './cli-io';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface OutputOptions {
  readonly output?: OutputFormat;
  readonly json?: boolean;
}

/** Adds -o/--output (and, where a command had it before, --json as its alias). */
export function withOutput(command: Command, options: { jsonAlias?: boolean } = {}): Command {
  command.addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'));
  if (options.jsonAlias) command.option('--json', 'same as -o json');
  return command;
}

export function formatOf(options: OutputOptions): OutputFormat {
  return options.json ? 'json' : (options.output ?? 'table');
}

/** True when stdout carries data for a machine, so people's lines go to stderr. */
export const isMachine = (format: OutputFormat): boolean => format !== 'table';

/** Prints data as JSON or YAML; for table, calls the command's own rendering. */
export function printData(io: CliIo, format: OutputFormat, data: unknown, renderTable: () => string): void {
  if (format === 'json') io.out(`${JSON.stringify(data, null, 2)}\n`);
  else if (format === 'yaml') io.out(stringify(data));
  else io.out(renderTable());
}

/** Where a line for people goes: stdout for table output, stderr when stdout carries data. */
export function noteTo(io: CliIo, format: OutputFormat): (text: string) => void {
  return isMachine(format) ? io.err : io.out;
}
