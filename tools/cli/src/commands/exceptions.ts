// `fjc exceptions JOB_ID`: the job's Flink exceptions as FJC recorded them from Flink's
// exception history (GET /api/v1/jobs/{jobId}/exceptions), newest first: when, the spec version
// and Flink job, the task and where it ran, the root cause. -o json|yaml prints the service's answer.
import type { Command } from 'commander';
import { JobExceptionListSchema } from '@fjc/contracts';
import { FjcApi, jobPath } from '../api-client';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { formatOf, printData, withOutput, type OutputOptions } from '../output';
import { table } from '../table';

export function registerExceptions(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withOutput(program.command('exceptions').description("list a job's Flink exceptions as FJC recorded them, newest first").argument('<jobId>', 'the job')).action(
    async (jobId: string, options: OutputOptions) => finish(await jobExceptions(jobId, options, io, FjcApi.fromEnv())),
  );
}

export async function jobExceptions(jobId: string, options: OutputOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const result = await api.call({ method: 'GET', path: jobPath(jobId, '/exceptions') }, JobExceptionListSchema);
  if (!result.ok) {
    for (const e of result.errors) io.err(`${jobId}: ${e.message}\n`);
    return EXIT.invalid;
  }
  const { exceptions } = result.body;
  printData(io, formatOf(options), result.raw, () =>
    exceptions.length === 0
      ? `${jobId}: no Flink exceptions recorded\n`
      : table(
          ['TIME', 'VERSION', 'FLINK JOB ID', 'TASK', 'LOCATION', 'EXCEPTION'],
          exceptions.map((e) => [e.timestamp, e.version?.toString() ?? '-', e.flinkJobId, e.taskName ?? '-', e.location ?? '-', `${e.rootCause.name}: ${oneLine(e.rootCause.message)}`]),
        ),
  );
  return EXIT.ok;
}

/** Messages can span lines (a nested cause); a table row must not. */
const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' | ');
