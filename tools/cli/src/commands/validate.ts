// `fjc validate FILE|DIR...`: checks spec files and reports every error and warning.
// Exits 0 only when every file is a valid spec. -o json|yaml prints one result per file
// ({ file, ok, errors, warnings }) and the problems finding files, instead of the lines.
import { parseSpecDocument, templateUseOf, validateSpecDocument } from '@fjc/contracts';
import type { Command } from 'commander';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { formatOf, printData, withOutput, type OutputOptions } from '../output';
import { errorLine, inFileOrder, summaryLine, warningLine, type Issue } from '../report';
import { findSpecFiles, readSpecText } from '../spec-files';

interface FileCheck {
  readonly file: string;
  readonly ok: boolean;
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
}

export function registerValidate(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withOutput(
    program
      .command('validate')
      .description('check job spec files (YAML, or JSON by the .json extension); directories are searched for .yaml, .yml and .json files')
      .argument('<paths...>', 'spec files or directories'),
  ).action((paths: string[], options: OutputOptions) => finish(validateFiles(paths, io, options)));
}

export function validateFiles(paths: readonly string[], io: CliIo, options: OutputOptions = {}): ExitCode {
  const { files, problems } = findSpecFiles(paths);
  const checks: FileCheck[] = files.map((file) => {
    const text = readSpecText(file);
    if (!text.ok) return { file, ok: false, errors: [{ path: '', message: text.message }], warnings: [] };
    // A spec that names a template is rendered by the spec-service, from the versions it recorded.
    const parsed = parseSpecDocument(text.value, file);
    if (parsed.ok && templateUseOf(parsed.value) !== null) {
      const at = parsed.locate(['template']);
      return { file, ok: false, errors: [{ path: 'template', message: 'names a template, which only the spec-service renders: check the file with `fjc plan FILE`', ...(at ? { line: at.line, column: at.column } : {}) }], warnings: [] };
    }
    const result = validateSpecDocument(text.value, file);
    return result.ok ? { file, ok: true, errors: [], warnings: inFileOrder(result.warnings) } : { file, ok: false, errors: inFileOrder(result.errors), warnings: [] };
  });
  const valid = checks.filter((c) => c.ok).length;
  printData(io, formatOf(options), { files: checks, problems }, () =>
    [
      ...problems.map((p) => `${p.path}: ${p.message}\n`),
      ...checks.flatMap((c) => (c.ok ? [`${c.file}: ok\n`, ...c.warnings.map((w) => `${warningLine(c.file, w)}\n`)] : c.errors.map((e) => `${errorLine(c.file, e)}\n`))),
      `${summaryLine(valid, checks.length - valid)}\n`,
    ].join(''),
  );
  return valid === checks.length && problems.length === 0 ? EXIT.ok : EXIT.invalid;
}
