// The port to a job's spec stream: load it folded into state, append events with the loaded
// state's version as the expected one. A lost race comes back as 'conflict', never thrown.
import type { Queryable } from '@fjc/event-log';
import type { EventCause } from '@fjc/service-runtime';
import type { SpecStream, SpecStreamEvent } from './spec-stream';

export const SPEC_STREAM_STORE = Symbol('SPEC_STREAM_STORE');

export interface SpecStreamStore {
  load(tx: Queryable, jobId: string): Promise<SpecStream>;
  append(tx: Queryable, stream: SpecStream, events: readonly SpecStreamEvent[], cause: EventCause): Promise<'appended' | 'conflict'>;
}
