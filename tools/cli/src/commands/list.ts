// `fjc list`: every job with its version and lifecycle state, one per line; --all includes deleted jobs.
// -o json|yaml prints every job as the API's list shape ({ jobs, next: null }); the older --json
// prints the bare array. The API answers a page at a time: the list follows `next` to the end.
import type { Command } from 'commander';
import { FjcApi, type ApiResult } from '../api-client';
import { JobListSchema, type JobList, type JobSummary } from '@fjc/contracts';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { formatOf, printData, withOutput, type OutputOptions } from '../output';
import { table } from '../table';

type ListOptions = OutputOptions & { readonly all?: boolean };

export function registerList(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withOutput(program.command('list').description('list jobs with their spec version and lifecycle state').option('--all', 'include deleted jobs'), { jsonAlias: true }).action(
    async (options: ListOptions) => finish(await listJobs(options, io, FjcApi.fromEnv())),
  );
}

/** The API's largest page. */
const PAGE_SIZE = 1000;

export async function listJobs(options: ListOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const jobs: JobSummary[] = [];
  let cursor: string | null = null;
  do {
    const query: URLSearchParams = new URLSearchParams({ limit: String(PAGE_SIZE), ...(options.all ? { includeDeleted: 'true' } : {}), ...(cursor ? { cursor } : {}) });
    const result: ApiResult<JobList> = await api.call({ method: 'GET', path: `/api/v1/jobs?${query}` }, JobListSchema);
    if (!result.ok) {
      for (const e of result.errors) io.err(`fjc: ${e.message}\n`);
      return EXIT.invalid;
    }
    jobs.push(...result.body.jobs);
    cursor = result.body.next;
  } while (cursor !== null);
  printData(io, formatOf(options), options.json ? jobs : { jobs, next: null }, () => (jobs.length === 0 ? 'no jobs\n' : jobTable(jobs)));
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
