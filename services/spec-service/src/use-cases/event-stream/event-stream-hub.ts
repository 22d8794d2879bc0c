// The live event stream (GET /api/v1/stream) behind every open connection of this process.
//
// Events go out in log order, (tx_id, position), read with the event log's never-skip rule
// (only transactions older than the oldest one running), the same reading the relay does: a
// position taken by a transaction that commits late is delivered when it commits, never skipped,
// never twice. A stream starts at a checkpoint (after a position, or at the readable head) and
// first catches up on its own with bounded, filtered reads; once it has reached the hub's
// position it is live: one read per tick for all live streams (woken by the log's NOTIFY, with
// a poll fallback), the namespaces of that batch's jobs looked up once, each stream given the
// events past its own checkpoint that its filter and the caller's namespaces let through.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { Client, type Pool } from 'pg';
import { Gauge, type Registry } from 'prom-client';
import {
  RELAYED_CHANNEL,
  checkpointAtPosition,
  compareCheckpoints,
  pgClientConfig,
  pgTimeoutConfig,
  readableHead,
  readLogAfter,
  readLogMatching,
  type LogCheckpoint,
  type StoredEvent,
} from '@fjc/event-log';
import { DB_POOL, loopLoggerOf, METRICS_REGISTRY, PLATFORM_CONFIG, PollingLoop, type PlatformConfig } from '@fjc/service-runtime';
import { namespacesOf } from '../../read-model/jobs-query';
import { toLoggedEvent } from '../../read-model/logged-event';
import { eventCondition, eventMatches, type EventFilter } from '../events-feed/event-filter';
import { STREAM_CONFIG, type StreamConfig } from './stream-config';

/** Where a stream is written to (server-sent events in production). */
export interface StreamSink {
  /** Each frame one event; false when the client does not keep up: the stream is dropped. */
  write(frames: readonly string[]): boolean;
  heartbeat(): void;
  end(): void;
}

export type StreamFrame = (event: StoredEvent) => string;

export interface StreamRefusal {
  readonly status: 400 | 503;
  readonly code: 'FJC_INVALID_REQUEST' | 'FJC_STREAM_LIMIT_REACHED' | 'FJC_SHUTTING_DOWN';
  readonly path: string;
  readonly message: string;
}

export interface StreamRequest {
  /** A position to resume after ("0": the start), or "head": only events from now on. */
  readonly from: string | 'head';
  /** The parameter `from` came in, for errors: "after" or "Last-Event-ID". */
  readonly fromParam: string;
  readonly filter: EventFilter;
  readonly sink: StreamSink;
  readonly frame: StreamFrame;
}

export type StreamOpen = { readonly ok: true; readonly close: () => void } | { readonly ok: false; readonly refusal: StreamRefusal };

interface Subscriber {
  readonly filter: EventFilter;
  readonly sink: StreamSink;
  readonly frame: StreamFrame;
  at: LogCheckpoint;
  closed: boolean;
}

/** Events a catch-up read returns at most, and log events it looks at for a filtered stream. */
const CATCH_UP_LIMIT = 500;
const CATCH_UP_SCAN = 5000;
/** Events one live tick reads for all streams. */
const LIVE_BATCH = 1000;

@Injectable()
export class EventStreamHub implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly subscribers = new Set<Subscriber>();
  private readonly live = new Set<Subscriber>();
  /** The checkpoint every live stream has been given everything up to. */
  private head: LogCheckpoint | null = null;
  /** Changes when head is set anew (no live stream held it), so a read in flight from the old head is thrown away. */
  private headEpoch = 0;
  private stopping = false;
  private loop: PollingLoop | null = null;
  private listener: Client | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    @Inject(DB_POOL) private readonly pool: Pool,
    @Inject(STREAM_CONFIG) private readonly config: StreamConfig,
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly logger: Logger,
  ) {
    const subscribers = this.subscribers;
    new Gauge({ name: 'fjc_api_streams_open', help: 'Open event streams (GET /api/v1/stream) of this process', registers: [registry], collect() {
      this.set(subscribers.size);
    } });
  }

  onApplicationBootstrap(): void {
    this.loop = new PollingLoop({
      name: 'event-stream',
      intervalMs: this.config.pollMs,
      pass: () => this.tick(),
      errorCode: 'FJC_STREAM_READ_RETRY',
      logger: loopLoggerOf(this.logger, 'event-stream'),
    });
    this.loop.start();
    this.heartbeat = setInterval(() => {
      for (const s of this.subscribers) s.sink.heartbeat();
    }, this.config.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Ends every stream (clients reconnect elsewhere with Last-Event-ID), so the HTTP server can close within the grace period. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const s of [...this.subscribers]) this.drop(s);
    await this.loop?.stop();
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }

  get open(): number {
    return this.subscribers.size;
  }

  async subscribe(request: StreamRequest): Promise<StreamOpen> {
    if (this.stopping) return refused(503, 'FJC_SHUTTING_DOWN', '', 'the service is shutting down; reconnect with Last-Event-ID');
    if (this.subscribers.size >= this.config.maxClients) {
      return refused(503, 'FJC_STREAM_LIMIT_REACHED', '', `this instance serves at most ${this.config.maxClients} streams (FJC_STREAM_MAX_CLIENTS); retry later`);
    }
    // The slot is taken before the first await, so concurrent opens cannot pass the limit.
    const sub: Subscriber = { filter: request.filter, sink: request.sink, frame: request.frame, at: { txId: '0', position: '0' }, closed: false };
    this.subscribers.add(sub);
    try {
      const start = request.from === 'head' ? await readableHead(this.pool) : await checkpointAtPosition(this.pool, request.from);
      if (start === null) {
        this.subscribers.delete(sub);
        return refused(400, 'FJC_INVALID_REQUEST', request.fromParam, `no event has position ${request.from}; pass 0 or a position from this log`);
      }
      sub.at = start;
    } catch (err) {
      this.subscribers.delete(sub);
      throw err;
    }
    void this.catchUp(sub).catch((err: unknown) => {
      this.logger.warn({ event: 'stream.catch_up_failed', code: 'FJC_STREAM_READ_FAILED', err: err instanceof Error ? err.message : String(err), msg: 'a stream could not read the log; closed (the client resumes)' }, 'event-stream');
      this.drop(sub);
    });
    return { ok: true, close: () => this.drop(sub) };
  }

  /** Reads on its own, filtered, until it has reached the hub's checkpoint; then it is live. */
  private async catchUp(sub: Subscriber): Promise<void> {
    const where = eventCondition(sub.filter);
    while (!sub.closed) {
      const page = await readLogMatching(this.pool, sub.at, { limit: CATCH_UP_LIMIT, scan: where === null ? CATCH_UP_LIMIT : CATCH_UP_SCAN, where });
      if (sub.closed) return;
      if (page.events.length > 0 && !sub.sink.write(page.events.map(sub.frame))) return this.drop(sub);
      sub.at = page.next;
      if (page.end && this.join(sub)) return;
    }
  }

  /** Synchronous: no tick can interleave between the check and the join. */
  private join(sub: Subscriber): boolean {
    if (this.live.size === 0 || this.head === null) {
      this.head = sub.at;
      this.headEpoch++;
    } else if (compareCheckpoints(sub.at, this.head) < 0) {
      return false;
    }
    this.live.add(sub);
    this.loop?.wake();
    return true;
  }

  /** One read for every live stream. */
  private async tick(): Promise<{ more: boolean }> {
    if (this.live.size === 0 || this.head === null) return { more: false };
    await this.ensureListener();
    const from = this.head;
    const epoch = this.headEpoch;
    const page = await readLogAfter(this.pool, from, LIVE_BATCH);
    if (page.events.length === 0 || epoch !== this.headEpoch) return { more: epoch !== this.headEpoch };
    const namespaces = [...this.live].some((s) => s.filter.namespaces !== null) ? await namespacesOf(this.pool, [...new Set(page.events.map((e) => e.jobId))]) : new Map<string, string>();
    if (epoch !== this.headEpoch) return { more: true };
    // Each event is rendered once, however many streams get it.
    const frames = new Map<StoredEvent, string>();
    const frameOf = (sub: Subscriber, e: StoredEvent): string => {
      let frame = frames.get(e);
      if (frame === undefined) frames.set(e, (frame = sub.frame(e)));
      return frame;
    };
    for (const sub of [...this.live]) {
      const fresh = page.events.filter((e) => compareCheckpoints(e, sub.at) > 0 && eventMatches(sub.filter, e, namespaces.get(e.jobId)));
      if (fresh.length > 0) {
        if (!sub.sink.write(fresh.map((e) => frameOf(sub, e)))) {
          this.drop(sub);
          continue;
        }
      }
      if (compareCheckpoints(page.next, sub.at) > 0) sub.at = page.next;
    }
    this.head = page.next;
    return { more: page.events.length >= LIVE_BATCH };
  }

  /** LISTEN on the log's channel; when it fails, the poll carries on and the next tick tries again. */
  private async ensureListener(): Promise<void> {
    if (this.listener !== null || this.stopping) return;
    const client = new Client({ ...pgClientConfig(this.platform.appDatabaseUrl), ...pgTimeoutConfig() });
    this.listener = client;
    client.on('error', () => {
      if (this.listener === client) this.listener = null;
      void client.end().catch(() => undefined);
    });
    client.on('notification', () => this.loop?.wake());
    try {
      await client.connect();
      // Appends notify fjc_event_log only while the relay sleeps; the relay notifies the other channel per batch it published.
      await client.query('listen fjc_event_log');
      await client.query(`listen ${RELAYED_CHANNEL}`);
    } catch (err) {
      if (this.listener === client) this.listener = null;
      await client.end().catch(() => undefined);
      this.logger.warn({ event: 'stream.listen_failed', code: 'FJC_STREAM_LISTEN_FAILED', err: err instanceof Error ? err.message : String(err), msg: 'no notifications; polling the log' }, 'event-stream');
    }
  }

  private drop(sub: Subscriber): void {
    if (sub.closed) return;
    sub.closed = true;
    this.subscribers.delete(sub);
    this.live.delete(sub);
    sub.sink.end();
  }
}

function refused(status: StreamRefusal['status'], code: StreamRefusal['code'], path: string, message: string): StreamOpen {
  return { ok: false, refusal: { status, code, path, message } };
}

/** The frame of an event as the stream shows it: the logged event, id = its position. */
export function loggedEventFrame(sse: (id: string, event: string, data: unknown) => string): StreamFrame {
  return (event) => sse(event.position, event.type, toLoggedEvent(event));
}
