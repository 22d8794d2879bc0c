// Query: the global event feed (GET /api/v1/events?after=&limit=), in log order.
//
// Log order is (transaction id, position), not position alone: a transaction that commits late
// can hold a lower position than events already shown, and a feed by bare position would skip
// it. So `after` is the position of the last event the reader saw, and the feed continues
// after that event in log order (the event-log's readLogAfter, which never skips a late commit).
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { LOG_START, readLogAfter, type LogCheckpoint } from '@fjc/event-log';
import { DB_POOL } from '@fjc/service-runtime';
import { toLoggedEvent } from '../../read-model/logged-event';
import type { EventsPage } from '@fjc/contracts';
import type { CommandError } from '../../spec-stream/command-error';

export type EventsFeedResult = { readonly ok: true; readonly page: EventsPage } | { readonly ok: false; readonly error: CommandError };

@Injectable()
export class EventsFeed {
  constructor(@Inject(DB_POOL) private readonly pool: Pool) {}

  async execute(after: string, limit: number): Promise<EventsFeedResult> {
    const from = await this.checkpointAt(after);
    if (from === null) {
      return { ok: false, error: { code: 'FJC_INVALID_REQUEST', path: 'after', message: `no event has position ${after}; pass 0 or a position from this feed` } };
    }
    const page = await readLogAfter(this.pool, from, limit);
    return { ok: true, page: { events: page.events.map(toLoggedEvent), next: page.events.at(-1)?.position ?? after } };
  }

  private async checkpointAt(position: string): Promise<LogCheckpoint | null> {
    if (position === '0') return LOG_START;
    const res = await this.pool.query<{ tx_id: string }>('select tx_id::text as tx_id from event_log where position = $1::bigint', [position]);
    const row = res.rows[0];
    return row ? { txId: row.tx_id, position } : null;
  }
}
