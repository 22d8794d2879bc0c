// The relay: publishes every new log event to its Kafka topic, in log order (so per-job order
// holds), at least once. It keeps its checkpoint in PostgreSQL, advanced only after Kafka
// acknowledged the batch. Any number of service instances may run one: a session advisory lock
// makes exactly one of them active. It is driven pass by pass by its owner (the services run it
// on service-runtime's PollingLoop), and wakes that loop on LISTEN/NOTIFY: appends notify only
// while the relay's log_wake row is armed (it sleeps; migration 1772400000001), and a relay that
// finds committed events held back by an older open transaction looks again within milliseconds.
import { Client, type Pool } from 'pg';
import type { Producer } from 'kafkajs';
import { context, propagation, SpanKind, trace, type Span } from '@opentelemetry/api';
import { toWireMessage } from './envelope';
import { contextOf } from './trace-context';
import { inTransaction } from './transaction';
import { pgClientConfig } from './pg-config';
import { pgTimeoutConfig } from './pg-pool';
import { hasHeldBackEvents, loadCheckpoint, readLogAfter, saveCheckpoint } from './read';
import { LOG_START, type StoredEvent } from './types';

export interface RelayLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RelayOptions {
  /** Checkpoint name; relays with different names publish independently. */
  readonly name: string;
  readonly connectionString: string;
  /** The topic of an event, or null for events that stay in the log. */
  readonly topicFor: (event: StoredEvent) => string | null;
  readonly batchSize?: number;
  readonly logger?: RelayLogger;
  /** Called when PostgreSQL notifies that events were appended (while this relay is active). */
  readonly onNotify?: () => void;
}

/** Channel notified on the commit of every batch the relay published. */
export const RELAYED_CHANNEL = 'fjc_event_log_relayed';
/** After arming, the relay looks once more after this long (an append that did not see the row). */
const ARM_CONFIRM_MS = 20;
/** An armed row is refreshed this often while idle (the append trigger ignores rows older than 10 s). */
const ARM_REFRESH_MS = 5_000;

const silent: RelayLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export class LogRelay {
  private lockClient: Client | null = null;
  private listenClient: Client | null = null;
  private leader = false;
  /** Pause before the next look while committed events wait behind an older open transaction. */
  private heldBackMs = 0;
  /** When this relay last armed its log_wake row (appends NOTIFY only while one is fresh); null: not armed. */
  private armedAt: number | null = null;
  published = 0;

  constructor(
    private readonly pool: Pool,
    private readonly producer: Producer,
    private readonly options: RelayOptions,
  ) {}

  get isLeader(): boolean {
    return this.leader;
  }

  /**
   * One pass: becomes the active relay if no one else is, then publishes one batch. `more` is
   * true when the batch was full. `soonMs` is set when committed events are held back by an
   * older transaction still open (the relay reads only below the oldest one): that transaction
   * may commit without appending, so no NOTIFY would wake the relay; it looks again after 2 ms,
   * doubling up to the loop's interval while the hold lasts. A failure gives up the active role
   * (another instance, or the next pass, takes it over from the checkpoint) and is thrown to the loop.
   */
  async pass(): Promise<{ more: boolean; soonMs?: number }> {
    try {
      if (!this.leader) await this.tryLead();
      if (!this.leader) return { more: false };
      const { published, heldBack, justArmed } = await this.relayBatch();
      if (published >= this.batchSize) return { more: true };
      if (!heldBack) {
        this.heldBackMs = 0;
        // Published: look again at once (appends do not notify a relay that is not armed; the next
        // empty pass arms it). Just armed: look once more shortly, for an append whose trigger ran
        // before the row was visible.
        if (published > 0) return { more: false, soonMs: 0 };
        return justArmed ? { more: false, soonMs: ARM_CONFIRM_MS } : { more: false };
      }
      this.heldBackMs = published > 0 || this.heldBackMs === 0 ? 2 : Math.min(this.heldBackMs * 2, 1000);
      return { more: false, soonMs: this.heldBackMs };
    } catch (err) {
      await this.dropLeadership();
      throw err;
    }
  }

  /** Gives up the active role and closes its connections (after the loop stopped). */
  async release(): Promise<void> {
    await this.dropLeadership();
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 500;
  }

  /** Publishes one batch; returns how many events it published. */
  async relayOnce(): Promise<number> {
    return (await this.relayBatch()).published;
  }

  /**
   * Publishes one batch; also says whether, beyond it, committed events are held back by an older
   * open transaction. Arms the relay's log_wake row when there is nothing to do (appends then
   * NOTIFY) and removes it while there is (appends then commit without NOTIFY's lock, in parallel).
   */
  private async relayBatch(): Promise<{ published: number; heldBack: boolean; justArmed: boolean }> {
    const limit = this.batchSize;
    let armedAt = this.armedAt;
    const result = await inTransaction(this.pool, async (tx) => {
      await tx.query(`insert into log_checkpoint (name, tx_id, position) values ($1, '0', 0) on conflict do nothing`, [this.options.name]);
      const at = (await loadCheckpoint(tx, this.options.name, true)) ?? LOG_START;
      const page = await readLogAfter(tx, at, limit);
      const heldBack = page.events.length < limit && (await hasHeldBackEvents(tx, page.next));
      let justArmed = false;
      if (page.events.length > 0 || heldBack) {
        if (armedAt !== null) await tx.query('delete from log_wake where listener = $1', [this.options.name]);
        armedAt = null;
      } else if (armedAt === null || Date.now() - armedAt > ARM_REFRESH_MS) {
        await tx.query(
          `insert into log_wake (listener, armed_at) values ($1, now()) on conflict (listener) do update set armed_at = excluded.armed_at`,
          [this.options.name],
        );
        justArmed = armedAt === null;
        armedAt = Date.now();
      }
      if (page.events.length === 0) return { published: 0, heldBack, justArmed };
      const byTopic = new Map<string, Array<ReturnType<typeof toWireMessage>>>();
      // One `publish` span per traced event (OpenTelemetry messaging conventions), a child of the
      // span the event was appended in; the message carries the publish span's context.
      const spans: Span[] = [];
      for (const event of page.events) {
        const topic = this.options.topicFor(event);
        if (!topic) continue;
        const list = byTopic.get(topic) ?? [];
        const message = toWireMessage(event);
        if (event.metadata.traceparent) {
          const parent = contextOf({ traceparent: event.metadata.traceparent });
          const span = trace.getTracer('fjc-relay').startSpan(`publish ${topic}`, {
            kind: SpanKind.PRODUCER,
            attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'publish', 'messaging.destination.name': topic, 'messaging.kafka.message.key': event.jobId, 'messaging.message.id': event.eventId, 'fjc.event.type': event.type },
          }, parent);
          propagation.inject(trace.setSpan(context.active(), span), message.headers);
          spans.push(span);
        }
        list.push(message);
        byTopic.set(topic, list);
      }
      try {
        if (byTopic.size > 0) {
          await this.producer.sendBatch({
            acks: -1,
            topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
          });
        }
      } catch (err) {
        for (const span of spans) span.setStatus({ code: 2, message: err instanceof Error ? err.message : String(err) });
        throw err;
      } finally {
        for (const span of spans) span.end();
      }
      await saveCheckpoint(tx, this.options.name, page.next);
      // One notification per published batch (not per append) for the log's other readers (the spec-service's event stream).
      await tx.query(`select pg_notify('${RELAYED_CHANNEL}', '')`);
      this.published += page.events.length;
      return { published: page.events.length, heldBack, justArmed };
    });
    this.armedAt = armedAt;
    return result;
  }

  private get log(): RelayLogger {
    return this.options.logger ?? silent;
  }

  private async tryLead(): Promise<void> {
    // A failed attempt ends its connections; the next pass tries again (PostgreSQL may be down).
    const client = new Client({ ...pgClientConfig(this.options.connectionString), ...pgTimeoutConfig() });
    client.on('error', () => void this.dropLeadership());
    try {
      await client.connect();
      const res = await client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [`fjc.relay:${this.options.name}`]);
      if (!res.rows[0]?.ok) {
        await client.end();
        return;
      }
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.lockClient = client;
    const listen = new Client({ ...pgClientConfig(this.options.connectionString), ...pgTimeoutConfig() });
    listen.on('error', () => void this.dropLeadership());
    this.listenClient = listen;
    await listen.connect();
    listen.on('notification', () => this.options.onNotify?.());
    await listen.query('listen fjc_event_log');
    this.leader = true;
    this.log.info({ relay: this.options.name }, 'relay is active');
  }

  private async dropLeadership(): Promise<void> {
    this.leader = false;
    this.armedAt = null;
    const [lock, listen] = [this.lockClient, this.listenClient];
    this.lockClient = this.listenClient = null;
    await listen?.end().catch(() => undefined);
    await lock?.end().catch(() => undefined);
  }
}
