// HTTP adapter of the global event feed: GET /api/v1/events?after=<position>&limit=<n> with the
// filters jobId, type and namespace (comma lists); only events of namespaces the caller may read.
import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { EventsPage } from '@fjc/contracts';
import { Caller } from '../auth/auth-http';
import { visibleNamespaces, type Principal } from '../auth/principal';
import { eventFilterOf } from '../use-cases/events-feed/event-filter';
import { EventsFeed } from '../use-cases/events-feed/events-feed';
import { refuse, type ErrorBody } from './error-response';
import { EventsQuerySchema, normalPosition, parseQuery } from './query-params';

@Controller('api/v1/events')
export class EventsController {
  constructor(private readonly feed: EventsFeed) {}

  /** `next` is the last event the page looked at, shown or not, so paging never stalls. */
  @Get()
  async list(@Caller() caller: Principal, @Query() query: unknown, @Res({ passthrough: true }) res: Response): Promise<EventsPage | ErrorBody> {
    const parsed = parseQuery(EventsQuerySchema, query);
    if (!parsed.ok) return refuse(res, parsed.errors);
    const result = await this.feed.execute(normalPosition(parsed.value.after), parsed.value.limit, eventFilterOf(parsed.value, visibleNamespaces(caller)));
    return result.ok ? result.page : refuse(res, [result.error]);
  }
}
