// `fjc list`: every job with its version and lifecycle state, one per line; --all includes deleted jobs.
// The API answers a page at a time: the list follows `next` until the last page.
import type { Command } from 'commander';
import { FjcApi, type ApiResult } from '../api-client';
import { JobListSchema, type JobList, type JobSummary } from '@fjc/contracts';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { table } from '../table';

export function registerList(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  program
    .command('list')
    .description('list jobs with their spec version and lifecycle state')
    .option('--all', 'include deleted jobs')
    .option('--json', 'print the answer as JSON')
    .action(async (options: { all?: boolean; json?: boolean }) => finish(await listJobs(options, io, FjcApi.fromEnv())));
}

/** The API's largest page. */
const PAGE_SIZE = 1000;

export async function listJobs(options: { all?: boolean; json?: boolean }, io: CliIo, api: FjcApi): Promise<ExitCode> {
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
  if (options.json) io.out(`${JSON.stringify(jobs, null, 2)}\n`);
  else if (jobs.length === 0) io.out('no jobs\n');
  else {
    io.out(
      table(
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
      ),
    );
  }
  return EXIT.ok;
}
