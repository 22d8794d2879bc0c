// `fjc events JOB_ID`: the job's audit trail, every event of every FJC service in log order,
// with who caused it, the correlation id linking a request to what followed from it, and the
// OpenTelemetry trace it was written in (docs/tracing.md). -o json|yaml prints the service's
// answer (payloads included); the older --json prints the bare array of events.
import type { Command } from 'commander';
import { FjcApi, jobPath } from '../api-client';
import { JobEventsSchema, type LoggedEvent } from '@fjc/contracts';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { formatOf, printData, withOutput, type OutputOptions } from '../output';
import { table } from '../table';

export function registerEvents(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withOutput(
    program.command('events').description("show a job's audit trail: every event in log order, with actor, correlation id and trace id").argument('<jobId>', 'the job'),
    { jsonAlias: true },
  ).action(async (jobId: string, options: OutputOptions) => finish(await jobEvents(jobId, options, io, FjcApi.fromEnv())));
}

export async function jobEvents(jobId: string, options: OutputOptions, io: CliIo, api: FjcApi): Promise<ExitCode> {
  const result = await api.call({ method: 'GET', path: jobPath(jobId, '/events') }, JobEventsSchema);
  if (!result.ok) {
    for (const e of result.errors) io.err(`${jobId}: ${e.message}\n`);
    return EXIT.invalid;
  }
  const { events } = result.body;
  printData(io, formatOf(options), options.json ? (result.raw as Record<string, unknown>).events : result.raw, () => eventTable(events));
  return EXIT.ok;
}

export const EVENT_HEADER = ['POSITION', 'TIME', 'STREAM', 'TYPE', 'ACTOR', 'CORRELATION ID', 'TRACE ID'];

export function eventRow(e: LoggedEvent): string[] {
  return [e.position, e.occurredAt, `${e.streamId}@${e.streamVersion}`, e.type, `${e.actor.kind}:${e.actor.id}`, e.correlationId, e.traceId ?? '-'];
}

function eventTable(events: readonly LoggedEvent[]): string {
  return table(EVENT_HEADER, events.map(eventRow));
}
