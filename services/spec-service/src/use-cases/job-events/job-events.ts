// Query: the audit trail of a job (GET /api/v1/jobs/{jobId}/events): every event of every
// service's stream of that job, in log order, as envelopes with actor, correlation and
// causation ids, so a request can be followed to the Flink actions it caused.
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { readJobEvents } from '@fjc/event-log';
import { DB_POOL } from '@fjc/service-runtime';
import { toLoggedEvent } from '../../read-model/logged-event';
import type { LoggedEvent } from '@fjc/contracts';

@Injectable()
export class JobEvents {
  constructor(@Inject(DB_POOL) private readonly pool: Pool) {}

  /** null when the log holds nothing about the job. */
  async execute(jobId: string): Promise<LoggedEvent[] | null> {
    const events = await readJobEvents(this.pool, jobId);
    return events.length === 0 ? null : events.map(toLoggedEvent);
  }
}
