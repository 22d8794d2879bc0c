// HTTP adapter of the global event feed: GET /api/v1/events?after=<position>&limit=<n>.
import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import type { EventsPage } from '@fjc/contracts';
import { Caller } from '../auth/auth-http';
import { JobVisibility } from '../auth/job-visibility';
import type { Principal } from '../auth/principal';
import { EventsFeed } from '../use-cases/events-feed/events-feed';
import { refuse, type ErrorBody } from './error-response';
import { parseBody } from './request-bodies';

export const EventsQuerySchema = z.strictObject({
  /** The position of the last event already read; 0 (the default) reads from the start. */
  after: z.string().regex(/^[0-9]{1,19}$/, 'must be 0 or a position from this feed').default('0'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

@Controller('api/v1/events')
export class EventsController {
  constructor(
    private readonly feed: EventsFeed,
    private readonly visibility: JobVisibility,
  ) {}

  /** `next` stays the position of the page's last event, shown or not, so paging never stalls. */
  @Get()
  async list(@Caller() caller: Principal, @Query() query: unknown, @Res({ passthrough: true }) res: Response): Promise<EventsPage | ErrorBody> {
    const parsed = parseBody(EventsQuerySchema, query);
    if (!parsed.ok) return refuse(res, parsed.errors);
    const result = await this.feed.execute(parsed.value.after.replace(/^0+(?=\d)/, ''), parsed.value.limit);
    if (!result.ok) return refuse(res, [result.error]);
    return { ...result.page, events: await this.visibility.filter(caller, result.page.events) };
  }
}
