// `fjc watch [JOB_ID]`: follows the event log live and prints each new event as it is logged
// (one job's, or every job the caller may see): status changes (LifecycleChanged) as
// `from -> to: reason`, the others with their type and actor. It reads the server-sent-event
// stream (GET /api/v1/stream?jobId=...) from where the log ends when it starts, or after --after
// POSITION (each line shows its position, so a watch can be resumed). A dropped connection is
// resumed with Last-Event-ID, so nothing is missed or printed twice. Ctrl-C (SIGINT) or SIGTERM
// ends it with exit 0. -o json|yaml prints each event as a JSON line or a YAML document, as the
// API gives it.
import { setTimeout as delay } from 'node:timers/promises';
import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import { LoggedEventSchema, type LoggedEvent } from '@fjc/contracts';
import { FjcApi, jobPath, parseJson, readEventStream } from '../api-client';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { parseDurationOption } from '../options';
import { formatOf, withOutput, type OutputFormat, type OutputOptions } from '../output';
import { z } from 'zod';

export interface WatchOptions extends OutputOptions {
  readonly after?: string;
  /** How long to wait before reconnecting when the server gave no retry hint. */
  readonly reconnectDelay?: number;
}

export function registerWatch(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withOutput(
    program
      .command('watch')
      .description('follow events and status changes live, of one job or of all; Ctrl-C ends it')
      .argument('[jobId]', 'only this job')
      .option('--after <position>', 'start after this log position instead of at the end of the log')
      .addOption(new Option('--reconnect-delay <duration>', 'wait before reconnecting a dropped stream').argParser(parseDurationOption).default(1000).hideHelp()),
  ).action(async (jobId: string | undefined, options: WatchOptions) => {
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
    try {
      finish(await watchEvents(jobId, options, io, FjcApi.fromEnv(), stop.signal));
    } finally {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    }
  });
}

export async function watchEvents(jobId: string | undefined, options: WatchOptions, io: CliIo, api: FjcApi, stop: AbortSignal): Promise<ExitCode> {
  if (options.after !== undefined && !/^[0-9]{1,19}$/.test(options.after)) {
    io.err('fjc watch: --after must be a log position (a whole number)\n');
    return EXIT.usage;
  }
  // An unknown job is an error at once, not a stream that never says anything.
  if (jobId !== undefined) {
    const job = await api.call({ method: 'GET', path: jobPath(jobId) }, z.object({ jobId: z.string() }));
    if (!job.ok) {
      for (const e of job.errors) io.err(`${jobId}: ${e.message}\n`);
      return EXIT.invalid;
    }
  }
  const format = formatOf(options);
  io.err(`watching ${jobId ?? 'all jobs'} ${options.after === undefined ? 'from now' : `after position ${options.after}`}; Ctrl-C to stop\n`);
  const query = new URLSearchParams({ ...(jobId === undefined ? {} : { jobId }), ...(options.after === undefined ? {} : { after: options.after }) });
  // From the first event on, a reconnect resumes after the last one printed (Last-Event-ID wins
  // over `after` on the service's side).
  let last: string | undefined;
  while (!stop.aborted) {
    const end = await readEventStream(api, {
      path: `/api/v1/stream${query.size > 0 ? `?${query}` : ''}`,
      lastEventId: last,
      signal: stop,
      onMessage: (message) => {
        const event = LoggedEventSchema.safeParse(parseJson(message.data));
        if (!event.success) return void io.err(`fjc: an event the CLI cannot read (id ${message.id ?? '-'}); skipped\n`);
        io.out(eventText(event.data, format));
        last = message.id ?? event.data.position;
      },
    });
    if (end.kind === 'refused') {
      for (const e of end.errors) io.err(`fjc: ${e.code}: ${e.message}\n`);
      // Too many streams open: the service asks to come back later; anything else is final.
      if (end.status !== 503) return EXIT.invalid;
    }
    await pause((end.kind === 'closed' ? end.retryMs : null) ?? options.reconnectDelay ?? 1000, stop);
  }
  return EXIT.ok;
}


export function eventText(event: LoggedEvent, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(event)}\n`;
  if (format === 'yaml') return `---\n${stringify(event)}`;
  return `${event.position}  ${event.occurredAt}  ${event.jobId}  ${event.type}  ${summaryOf(event)}\n`;
}

function summaryOf(event: LoggedEvent): string {
  const p = event.payload as { from?: string | null; to?: string; reason?: string; flinkJobId?: string | null; lastError?: { code: string } | null };
  if (event.type === 'LifecycleChanged') {
    return `${p.from ?? '-'} -> ${p.to ?? '?'}${p.flinkJobId ? ` (flink job ${p.flinkJobId})` : ''}: ${p.reason ?? ''}${p.lastError ? ` [${p.lastError.code}]` : ''}`;
  }
  return `by ${event.actor.kind}:${event.actor.id}`;
}

/** Waits `ms`, or less when `stop` aborts. */
function pause(ms: number, stop: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal: stop }).catch(() => undefined);
}
