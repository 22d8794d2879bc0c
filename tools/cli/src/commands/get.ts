// `fjc get JOB_ID`: a job's current spec version and its lifecycle as FJC sees it (state, Flink
// job id, versions, restarts, a candidate or failed version, last error); -o json|yaml prints the service's answer, spec included.
import type { Command } from 'commander';
import { FjcApi, jobPath } from '../api-client';
import { JobViewSchema, type JobSummary, type JobView } from '@fjc/contracts';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { formatOf, printData, withOutput, type OutputOptions } from '../output';

export function registerGet(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withOutput(
    program
      .command('get')
      .description("show a job: spec version, lifecycle state, Flink job id, last stable version, last error")
      .argument('<jobId>', 'the job'),
    { jsonAlias: true },
  ).action(async (jobId: string, options: OutputOptions) => finish(await getJob(jobId, options, io, FjcApi.fromEnv())));
}

export async function getJob(jobId: string, options: OutputOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const result = await api.call({ method: 'GET', path: jobPath(jobId) }, JobViewSchema);
  if (!result.ok) {
    for (const e of result.errors) io.err(`${jobId}: ${e.message}\n`);
    return EXIT.invalid;
  }
  const job = result.body;
  printData(io, formatOf(options), result.raw, () => jobFields(job));
  return EXIT.ok;
}

function jobFields(job: JobView): string {
  const fields: [string, string][] = [
    ['job', job.jobId + (job.deleted ? ' (deleted)' : '')],
    ['version', `${job.version} (${job.jobType}, desired ${job.desiredState})`],
    ['state', stateLine(job)],
    ['restarts', job.restarts?.toString() ?? '-'],
    ['flink job id', job.flinkJobId ?? '-'],
    ['flink version', job.flinkVersion ?? '-'],
    ['deployed version', job.deployedVersion?.toString() ?? '-'],
    ['last stable version', job.lastStableVersion?.toString() ?? '-'],
    ['failed version', job.failedVersion == null ? '-' : failedLine(job)],
    ['last error', job.lastError ? `${job.lastError.code}: ${job.lastError.message}` : '-'],
    ['reason', job.reason ?? '-'],
    ['spec hash', job.specHash],
    ['updated', job.updatedAt],
  ];
  const width = Math.max(...fields.map(([k]) => k.length)) + 1;
  return fields.map(([k, v]) => `${`${k}:`.padEnd(width)} ${v}\n`).join('');
}

/** The state, with what the stability gates say: a candidate, or the version a rollback gave up. */
export function stateLine(job: Pick<JobSummary, 'state' | 'candidate' | 'failedVersion' | 'lastError'>): string {
  if (job.state === 'ROLLED_BACK' && job.failedVersion != null) return `${job.state} (${failedLine(job)})`;
  return job.candidate ? `${job.state} (candidate: stability gates not passed yet)` : job.state;
}

function failedLine(job: Pick<JobSummary, 'failedVersion' | 'lastError'>): string {
  return `failed version ${job.failedVersion}${job.lastError ? `: ${job.lastError.code}: ${job.lastError.message}` : ''}`;
}
