// `fjc history JOB_ID`: the job's spec versions, oldest first: the event that made each (apply,
// suspend, resume, rollback), when, who, the spec hash and, for a rollback, the version it went
// back to. -o json|yaml prints the service's answer, specs included.
import type { Command } from 'commander';
import { FjcApi, jobPath } from '../api-client';
import { VersionListSchema, type SpecVersionView } from '@fjc/contracts';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { formatOf, printData, withOutput, type OutputOptions } from '../output';
import { table } from '../table';

export function registerHistory(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withOutput(program.command('history').description("list a job's spec versions: the event that made each, when, who, spec hash, rollback target").argument('<jobId>', 'the job')).action(
    async (jobId: string, options: OutputOptions) => finish(await jobHistory(jobId, options, io, FjcApi.fromEnv())),
  );
}

export async function jobHistory(jobId: string, options: OutputOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const result = await api.call({ method: 'GET', path: jobPath(jobId, '/versions') }, VersionListSchema);
  if (!result.ok) {
    for (const e of result.errors) io.err(`${jobId}: ${e.message}\n`);
    return EXIT.invalid;
  }
  const { versions, deleted } = result.body;
  printData(io, formatOf(options), result.raw, () => historyTable(versions) + (deleted ? `${jobId}: deleted\n` : ''));
  return EXIT.ok;
}

function historyTable(versions: readonly SpecVersionView[]): string {
  return table(
    ['VERSION', 'EVENT', 'WHEN', 'ACTOR', 'SPEC HASH', 'ROLLED BACK TO'],
    versions.map((v) => [String(v.version), v.type, v.occurredAt, `${v.actor.kind}:${v.actor.id}`, v.specHash.slice(0, 12), v.rolledBackTo?.toString() ?? '-']),
  );
}
