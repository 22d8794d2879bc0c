// `fjc list`: every job with its version and lifecycle state, one per line; --all includes deleted jobs.
// -o json|yaml prints the service's answer ({ jobs }); the older --json prints the bare array.
import type { Command } from 'commander';
import { FjcApi } from '../api-client';
import { JobListSchema, type JobSummary } from '@fjc/contracts';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { formatOf, printData, withOutput, type OutputOptions } from '../output';
import { table } from '../table';

type ListOptions = OutputOptions & { readonly all?: boolean };

export function registerList(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withOutput(program.command('list').description('list jobs with their spec version and lifecycle state').option('--all', 'include deleted jobs'), { jsonAlias: true }).action(
    async (options: ListOptions) => finish(await listJobs(options, io, FjcApi.fromEnv())),
  );
}

export async function listJobs(options: ListOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const result = await api.call({ method: 'GET', path: `/api/v1/jobs${options.all ? '?includeDeleted=true' : ''}` }, JobListSchema);
  if (!result.ok) {
    for (const e of result.errors) io.err(`fjc: ${e.message}\n`);
    return EXIT.invalid;
  }
  const { jobs } = result.body;
  printData(io, formatOf(options), options.json ? (result.raw as Record<string, unknown>).jobs : result.raw, () => (jobs.length === 0 ? 'no jobs\n' : jobTable(jobs)));
  return EXIT.ok;
}

function jobTable(jobs: readonly JobSummary[]): string {
  return table(
    ['JOB ID', 'VERSION', 'TYPE', 'DESIRED', 'STATE', 'FLINK JOB ID', 'LAST ERROR'],
    jobs.map((j) => [
      j.jobId,
      String(j.version),
      j.jobType,
      j.deleted ? 'deleted' : j.desiredState,
      j.state + (j.candidate ? ' (candidate)' : j.state === 'ROLLED_BACK' && j.failedVersion != null ? ` (v${j.failedVersion} failed)` : ''),
      j.flinkJobId ?? '-',
      j.lastError?.code ?? '-',
    ]),
  );
}
