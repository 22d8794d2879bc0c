// Query: the global event feed (GET /api/v1/events?after=&limit=&jobId=&type=&namespace=), in
// log order, only events the caller may see.
//
// Log order is (transaction id, position), not position alone: a transaction that commits late
// can hold a lower position than events already shown, and a feed by bare position would skip
// it. So `after` is the position of the last event the reader saw, and the feed continues
// after that event in log order (the event-log's readLogMatching, which never skips a late
// commit). A filtered page scans a bounded window of the log, so a sparse filter costs the same
// per page however long the log is; `next` then is the end of that window.
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { checkpointAtPosition, readLogMatching } from '@fjc/event-log';
import { DB_POOL } from '@fjc/service-runtime';
import { toLoggedEvent } from '../../read-model/logged-event';
import type { EventsPage } from '@fjc/contracts';
import type { CommandError } from '../../spec-stream/command-error';
import { eventCondition, type EventFilter } from './event-filter';

export type EventsFeedResult = { readonly ok: true; readonly page: EventsPage } | { readonly ok: false; readonly error: CommandError };

/** Log events a filtered page looks at, per event it may return. */
const SCAN_PER_EVENT = 10;

@Injectable()
export class EventsFeed {
  constructor(@Inject(DB_POOL) private readonly pool: Pool) {}

  async execute(after: string, limit: number, filter: EventFilter): Promise<EventsFeedResult> {
    const from = await checkpointAtPosition(this.pool, after);
    if (from === null) {
      return { ok: false, error: { code: 'FJC_INVALID_REQUEST', path: 'after', message: `no event has position ${after}; pass 0 or a position from this feed` } };
    }
    const where = eventCondition(filter);
    const page = await readLogMatching(this.pool, from, { limit, scan: where === null ? limit : Math.max(1000, limit * SCAN_PER_EVENT), where });
    return { ok: true, page: { events: page.events.map(toLoggedEvent), next: page.next.position } };
  }
}
