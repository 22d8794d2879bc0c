// `fjc events JOB_ID`: the job's audit trail, every event of every FJC service in log order,
// with who caused it, the correlation id linking a request to what followed from it, and the
// OpenTelemetry trace it was written in (docs/tracing.md).
import type { Command } from 'commander';
import { FjcApi, jobPath } from '../api-client';
import { JobEventsSchema } from '@fjc/contracts';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { table } from '../table';

export function registerEvents(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  program
    .command('events')
    .description("show a job's audit trail: every event in log order, with actor, correlation id and trace id")
    .argument('<jobId>', 'the job')
    .option('--json', 'print the events as JSON envelopes, payloads included')
    .action(async (jobId: string, options: { json?: boolean }) => finish(await jobEvents(jobId, options, io, FjcApi.fromEnv())));
}

export async function jobEvents(jobId: string, options: { json?: boolean }, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const result = await api.call({ method: 'GET', path: jobPath(jobId, '/events') }, JobEventsSchema);
  if (!result.ok) {
    for (const e of result.errors) io.err(`${jobId}: ${e.message}\n`);
    return EXIT.invalid;
  }
  const { events } = result.body;
  if (options.json) {
    io.out(`${JSON.stringify(events, null, 2)}\n`);
    return EXIT.ok;
  }
  io.out(
    table(
      ['POSITION', 'TIME', 'STREAM', 'TYPE', 'ACTOR', 'CORRELATION ID', 'TRACE ID'],
      events.map((e) => [e.position, e.occurredAt, `${e.streamId}@${e.streamVersion}`, e.type, `${e.actor.kind}:${e.actor.id}`, e.correlationId, e.traceId ?? '-']),
    ),
  );
  return EXIT.ok;
}
