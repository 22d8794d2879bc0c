// `fjc savepoints JOB_ID`: the savepoints FJC recorded for a job, newest first, each with the
// spec version it belongs to; disposed ones are listed with when they were removed.
// -o json|yaml prints the service's answer; the older --json prints the bare array.
import type { Command } from 'commander';
import { FjcApi, jobPath } from '../api-client';
import { SavepointListSchema } from '@fjc/contracts';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { formatOf, printData, withOutput, type OutputOptions } from '../output';
import { table } from '../table';

export function registerSavepoints(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withOutput(program.command('savepoints').description("list a job's savepoints, newest first, with the spec version each belongs to").argument('<jobId>', 'the job'), {
    jsonAlias: true,
  }).action(async (jobId: string, options: OutputOptions) => finish(await listSavepoints(jobId, options, io, FjcApi.fromEnv())));
}

export async function listSavepoints(jobId: string, options: OutputOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const result = await api.call({ method: 'GET', path: jobPath(jobId, '/savepoints') }, SavepointListSchema);
  if (!result.ok) {
    for (const e of result.errors) io.err(`${jobId}: ${e.message}\n`);
    return EXIT.invalid;
  }
  const { savepoints } = result.body;
  printData(io, formatOf(options), options.json ? (result.raw as Record<string, unknown>).savepoints : result.raw, () =>
    savepoints.length === 0
      ? `${jobId}: no savepoints recorded\n`
      : table(
          ['VERSION', 'ORIGIN', 'TAKEN AT', 'PATH', 'DISPOSED'],
          savepoints.map((p) => [String(p.version), p.origin, p.takenAt, p.path, p.disposedAt ?? '-']),
        ),
  );
  return EXIT.ok;
}
