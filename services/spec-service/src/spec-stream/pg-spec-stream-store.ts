// The spec stream store on the event log: events are read back through the contracts' decoder,
// appended by the platform's EventWriter, and the job's current spec is written to job_specs
// in the same transaction, so listings never lag behind the log.
import { Inject, Injectable } from '@nestjs/common';
import { readStream, type Queryable } from '@fjc/event-log';
import { CLOCK, EventWriter, type Clock, type EventCause } from '@fjc/service-runtime';
import { saveJobSpec } from '../read-model/job-specs-table';
import { decodeSpecStreamEvent } from './decode-spec-event';
import { emptySpecStream, evolve, specStreamId, type SpecStream, type SpecStreamEvent } from './spec-stream';
import type { SpecStreamStore } from './spec-stream-store';

@Injectable()
export class PgSpecStreamStore implements SpecStreamStore {
  constructor(
    private readonly writer: EventWriter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async load(tx: Queryable, jobId: string): Promise<SpecStream> {
    const stored = await readStream(tx, specStreamId(jobId));
    return stored.map(decodeSpecStreamEvent).reduce(evolve, emptySpecStream(jobId));
  }

  async append(tx: Queryable, stream: SpecStream, events: readonly SpecStreamEvent[], cause: EventCause): Promise<'appended' | 'conflict'> {
    const expected = stream.streamVersion === 0 ? 'no-stream' : stream.streamVersion;
    const result = await this.writer.append(tx, specStreamId(stream.jobId), expected, stream.jobId, events, cause);
    if (result.status === 'conflict') return 'conflict';
    await saveJobSpec(tx, events.reduce(evolve, stream), this.clock.now());
    return 'appended';
  }
}
