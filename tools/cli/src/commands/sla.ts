// `fjc sla report --from T1 --to T2 [--namespace NS]`: per job with a service level, the runs
// (batch) or windows (stream) of the range that met it and the misses the reconciler recorded
// (GET /api/v1/sla). -o json|yaml prints the service's answer.
import type { Command } from 'commander';
import { SlaReportSchema } from '@fjc/contracts';
import { FjcApi } from '../api-client';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { formatOf, printData, withOutput, type OutputOptions } from '../output';
import { table } from '../table';

interface SlaOptions extends OutputOptions {
  from: string;
  to: string;
  namespace?: string;
}

export function registerSla(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  const sla = program.command('sla').description('service levels of batch runs and stream jobs');
  withOutput(
    sla
      .command('report')
      .description('met and missed per job over a time range')
      .requiredOption('--from <time>', 'start of the range (ISO-8601, inclusive)')
      .requiredOption('--to <time>', 'end of the range (ISO-8601, exclusive)')
      .option('--namespace <ns>', 'only these namespaces (comma list)'),
  ).action(async (options: SlaOptions) => finish(await slaReport(options, io, FjcApi.fromEnv())));
}

export async function slaReport(options: SlaOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const query = new URLSearchParams({ from: options.from, to: options.to, ...(options.namespace ? { namespace: options.namespace } : {}) });
  const result = await api.call({ method: 'GET', path: `/api/v1/sla?${query.toString()}` }, SlaReportSchema);
  if (!result.ok) {
    for (const e of result.errors) io.err(`fjc: ${e.path ? `${e.path}: ` : ''}${e.message}\n`);
    return EXIT.invalid;
  }
  const { jobs } = result.body;
  printData(io, formatOf(options), result.raw, () => {
    if (jobs.length === 0) return 'no job with a service level in this range\n';
    const summary = table(
      ['JOB', 'NAMESPACE', 'TYPE', 'TARGET', 'JUDGED', 'MET', 'MISSED'],
      jobs.map((j) => [j.jobId, j.namespace, j.jobType, j.target ?? '-', String(j.judged), String(j.met), String(j.missed)]),
    );
    const misses = jobs.flatMap((j) => j.misses.map((m) => [j.jobId, m.recordedAt, m.objective, m.run ? `run ${m.run.runNumber} (${m.run.flinkJobId})` : `${m.window?.start} - ${m.window?.end}`, m.target, m.actual]));
    return misses.length === 0 ? summary : `${summary}\n${table(['JOB', 'RECORDED', 'OBJECTIVE', 'RUN / WINDOW', 'TARGET', 'ACTUAL'], misses)}`;
  });
  return EXIT.ok;
}
