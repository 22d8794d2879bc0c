// `fjc watch [JOB_ID]`: follows the event log live and prints each new event as it is logged
// (one job's, or every job the caller may see): status changes (LifecycleChanged) as
// `from -> to: reason`, the others with their type and actor. It reads the global feed
// (GET /api/v1/events?after=<position>) about once a second from where the log ends when it
// starts, or from --after POSITION (each line shows its position, so a watch can be resumed).
// Ctrl-C (SIGINT) or SIGTERM ends it with exit 0. -o json|yaml prints each event as a JSON line
// or a YAML document, as the API gives it.
import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import { EventsPageSchema, JobEventsSchema, type LoggedEvent } from '@fjc/contracts';
import { FjcApi, jobPath } from '../api-client';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';
import { parseDurationOption } from '../options';
import { formatOf, withOutput, type OutputFormat, type OutputOptions } from '../output';

const PAGE = 1000;

export interface WatchOptions extends OutputOptions {
  readonly after?: string;
  readonly pollInterval?: number;
}

export function registerWatch(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withOutput(
    program
      .command('watch')
      .description('follow events and status changes live, of one job or of all; Ctrl-C ends it')
      .argument('[jobId]', 'only this job')
      .option('--after <position>', 'start after this log position instead of at the end of the log')
      .addOption(new Option('--poll-interval <duration>', 'how often the feed is read').argParser(parseDurationOption).default(1000).hideHelp()),
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
  const format = formatOf(options);
  const start = options.after ?? (await endOfLog(api, jobId, io));
  if (start === null) return EXIT.invalid;
  io.err(`watching ${jobId ?? 'all jobs'} after position ${start}; Ctrl-C to stop\n`);
  let after = start;
  while (!stop.aborted) {
    const page = await api.call({ method: 'GET', path: `/api/v1/events?after=${after}&limit=${PAGE}` }, EventsPageSchema);
    if (!page.ok) {
      for (const e of page.errors) io.err(`fjc: ${e.code}: ${e.message}\n`);
      return EXIT.invalid;
    }
    for (const event of page.body.events) if (jobId === undefined || event.jobId === jobId) io.out(eventText(event, format));
    const moved = page.body.next !== after;
    after = page.body.next;
    // A full page means more is waiting: read on at once.
    if (!moved || page.body.events.length < PAGE) await pause(options.pollInterval ?? 1000, stop);
  }
  return EXIT.ok;
}

/** Where the log ends now: for one job its last event (404 for an unknown job); for all, the feed read to its end. */
async function endOfLog(api: FjcApi, jobId: string | undefined, io: CliIo): Promise<string | null> {
  if (jobId !== undefined) {
    const events = await api.call({ method: 'GET', path: jobPath(jobId, '/events') }, JobEventsSchema);
    if (!events.ok) {
      for (const e of events.errors) io.err(`${jobId}: ${e.message}\n`);
      return null;
    }
    return events.body.events.at(-1)?.position ?? '0';
  }
  let after = '0';
  for (;;) {
    const page = await api.call({ method: 'GET', path: `/api/v1/events?after=${after}&limit=${PAGE}` }, EventsPageSchema);
    if (!page.ok) {
      for (const e of page.errors) io.err(`fjc: ${e.code}: ${e.message}\n`);
      return null;
    }
    if (page.body.next === after || page.body.events.length < PAGE) return page.body.next;
    after = page.body.next;
  }
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

function pause(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    stop.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    }
  });
}
