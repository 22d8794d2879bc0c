// HTTP adapter of the live event stream: GET /api/v1/stream as server-sent events, filtered by
// jobId, namespace and type (comma lists), resumed after `Last-Event-ID` (which wins) or `after`;
// neither: only events from now on. Refusals are the usual JSON error body, before any event.
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Caller } from '../auth/auth-http';
import { visibleNamespaces, type Principal } from '../auth/principal';
import { EventStreamHub, loggedEventFrame } from '../use-cases/event-stream/event-stream-hub';
import { eventFilterOf } from '../use-cases/events-feed/event-filter';
import { errorBody } from './error-response';
import { normalPosition, parseQuery, StreamQuerySchema } from './query-params';
import { SseResponse, sseFrame } from './sse';

const frame = loggedEventFrame(sseFrame);

@Controller('api/v1/stream')
export class StreamController {
  constructor(private readonly hub: EventStreamHub) {}

  @Get()
  async stream(@Caller() caller: Principal, @Query() query: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const parsed = parseQuery(StreamQuerySchema, query);
    if (!parsed.ok) return void res.status(400).json(errorBody(parsed.errors));
    const lastEventId = req.header('last-event-id');
    if (lastEventId !== undefined && !/^[0-9]{1,19}$/.test(lastEventId)) {
      return void res.status(400).json(errorBody([{ code: 'FJC_INVALID_REQUEST', path: 'Last-Event-ID', message: 'must be the id of an event of this stream (a position)' }]));
    }
    let gone = false;
    res.on('close', () => (gone = true));
    const sse = new SseResponse(res);
    const opened = await this.hub.subscribe({
      from: lastEventId !== undefined ? normalPosition(lastEventId) : parsed.value.after !== undefined ? normalPosition(parsed.value.after) : 'head',
      fromParam: lastEventId !== undefined ? 'Last-Event-ID' : 'after',
      filter: eventFilterOf(parsed.value, visibleNamespaces(caller)),
      sink: sse,
      frame,
    });
    if (!opened.ok) {
      const { status, code, path, message } = opened.refusal;
      if (status === 503) res.setHeader('Retry-After', '5');
      return void res.status(status).json(errorBody([{ code, path, message }]));
    }
    sse.begin();
    if (gone) opened.close();
    else res.on('close', opened.close);
  }
}
