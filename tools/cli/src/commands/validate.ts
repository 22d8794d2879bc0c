// `fjc validate FILE|DIR...`: checks spec files and reports every error and warning.
// Exits 0 only when every file is a valid spec.
import { validateSpecDocument } from '@fjc/contracts';
import type { Command } from 'commander';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { errorLine, inFileOrder, summaryLine, warningLine } from '../report';
import { findSpecFiles, readSpecText } from '../spec-files';

export function registerValidate(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  program
    .command('validate')
    .description('check job spec files (YAML, or JSON by the .json extension); directories are searched for .yaml, .yml and .json files')
    .argument('<paths...>', 'spec files or directories')
    .action((paths: string[]) => finish(validateFiles(paths, io)));
}

export function validateFiles(paths: readonly string[], io: CliIo): ExitCode {
  const { files, problems } = findSpecFiles(paths);
  for (const problem of problems) io.out(`${problem.path}: ${problem.message}\n`);

  let valid = 0;
  let invalid = 0;
  for (const file of files) {
    const text = readSpecText(file);
    const result = text.ok ? validateSpecDocument(text.value, file) : { ok: false as const, errors: [] };
    if (!text.ok) io.out(`${file}: ${text.message}\n`);
    if (result.ok) {
      valid += 1;
      io.out(`${file}: ok\n`);
      for (const warning of inFileOrder(result.warnings)) io.out(`${warningLine(file, warning)}\n`);
    } else {
      invalid += 1;
      for (const error of inFileOrder(result.errors)) io.out(`${errorLine(file, error)}\n`);
    }
  }
  io.out(`${summaryLine(valid, invalid)}\n`);
  return invalid === 0 && problems.length === 0 ? EXIT.ok : EXIT.invalid;
}
