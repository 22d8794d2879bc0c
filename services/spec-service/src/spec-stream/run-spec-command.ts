// Handling one command against a job's spec stream, emmett style, all I/O in numbered steps:
// 1. load the stream, 2. decide (pure), 3. append with the loaded version as the expected one.
// A concurrent append in between is a version conflict: load and decide again (a caller's own
// expectedVersion is checked by decide, so it then fails as it should), a bounded number of times.
import type { Queryable } from '@fjc/event-log';
import type { EventCause } from '@fjc/service-runtime';
import { commandErrors, type CommandError } from './command-error';
import type { Decision } from './decision';
import type { SpecStream, SpecStreamEvent } from './spec-stream';
import type { SpecStreamStore } from './spec-stream-store';

export type CommandOutcome =
  | {
      readonly kind: 'appended';
      readonly version: number;
      readonly events: readonly SpecStreamEvent[];
      /** The command started the job's stream. */
      readonly created: boolean;
    }
  | { readonly kind: 'unchanged'; readonly version: number }
  | { readonly kind: 'rejected'; readonly errors: readonly CommandError[] };

export async function runSpecCommand(
  store: SpecStreamStore,
  tx: Queryable,
  jobId: string,
  decide: (stream: SpecStream) => Decision,
  cause: EventCause,
  maxAttempts = 10,
): Promise<CommandOutcome> {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const stream = await store.load(tx, jobId);
    const decision = decide(stream);
    if (decision.kind !== 'append') return decision;
    const appended = await store.append(tx, stream, decision.events, cause);
    if (appended === 'appended') {
      return { kind: 'appended', version: decision.version, events: decision.events, created: stream.streamVersion === 0 || stream.deleted };
    }
  }
  return { kind: 'rejected', errors: [commandErrors.concurrentChange(jobId)] };
}
