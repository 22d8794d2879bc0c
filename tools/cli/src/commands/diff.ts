// `fjc diff JOB_ID A B`: what changed in the spec from version A to version B, field by field
// (path, old value, new value), from the versions the service recorded. Exits 0 whether or not
// anything differs; 1 for a version the job does not have. -o json|yaml prints the changes.
import type { Command } from 'commander';
import { specChanges, VersionListSchema } from '@fjc/contracts';
import { FjcApi, jobPath } from '../api-client';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { parseVersion } from '../options';
import { formatOf, printData, withOutput, type OutputOptions } from '../output';
import { table } from '../table';

export function registerDiff(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withOutput(
    program
      .command('diff')
      .description("show what changed in a job's spec between two versions, field by field")
      .argument('<jobId>', 'the job')
      .argument('<from>', 'the older version', parseVersion)
      .argument('<to>', 'the newer version', parseVersion),
  ).action(async (jobId: string, from: number, to: number, options: OutputOptions) => finish(await diffVersions(jobId, from, to, options, io, FjcApi.fromEnv())));
}

export async function diffVersions(jobId: string, from: number, to: number, options: OutputOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const result = await api.call({ method: 'GET', path: jobPath(jobId, '/versions') }, VersionListSchema);
  if (!result.ok) {
    for (const e of result.errors) io.err(`${jobId}: ${e.message}\n`);
    return EXIT.invalid;
  }
  const specOf = (version: number) => result.body.versions.find((v) => v.version === version)?.spec;
  const [a, b] = [specOf(from), specOf(to)];
  const missing = [from, to].filter((_, i) => [a, b][i] === undefined);
  if (a === undefined || b === undefined) {
    const known = result.body.versions.map((v) => v.version);
    io.err(`${jobId}: FJC_VERSION_NOT_FOUND: no version ${missing.join(' or ')} (the job has versions ${known.join(', ')})\n`);
    return EXIT.invalid;
  }
  const changes = specChanges(a, b);
  printData(io, formatOf(options), { jobId, from, to, changes }, () =>
    changes.length === 0 ? `${jobId}: versions ${from} and ${to} have the same spec\n` : table(['PATH', 'OLD', 'NEW'], changes.map((c) => [c.path, shown(c.old), shown(c.new)])),
  );
  return EXIT.ok;
}

function shown(value: unknown): string {
  if (value === undefined) return '-';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
