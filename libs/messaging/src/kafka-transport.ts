// A Nest microservice transport on kafkajs that loses nothing and applies nothing twice.
//
// Per message: parse JSON and the topic's schema (failures go to the DLQ at once); open a
// PostgreSQL transaction; write the inbox row (consumer, message id) - if it exists, the message
// was already applied and is only acknowledged; run the @EventPattern handler with the
// transaction in its context; commit; only then commit the Kafka offset. A failing handler is
// retried with backoff a bounded number of times, then dead-lettered, and its partition moves
// on. A failure caused by an outage (PostgreSQL unreachable, restarting, timing out) is no
// attempt: the partition waits with bounded back-off until the dependency is back, commits
// nothing and dead-letters nothing meanwhile. A consumer that kafkajs gave up on (a crash with
// restart=false, e.g. the broker was gone too long) is started again with back-off. Partitions
// are consumed concurrently, heartbeats continue during long handlers and outages, and readiness
// is signalled once the group has joined.
// kafkajs fetches from a broker again only once every message of its last fetch is handled: the
// partitions of one fetch run side by side, but a slow handler delays what arrives meanwhile on
// the same broker. So FJC's handlers only touch PostgreSQL; slow work (Flink calls) is queued
// and carried out outside them (the deployer's action executor).
import { inSpan, type LogFields } from './work-span';
import { propagation, ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { Kafka, Partitioners, logLevel, type Consumer, type EachMessagePayload, type KafkaConfig, type Producer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { lastValueFrom } from 'rxjs';
import { CREDENTIAL_HEADERS, DLQ_EVENT_TYPES, type DeadLetter, type DeadLetterCode } from '@fjc/contracts';
import { deadLetterReason, fjcCodeOf } from './dead-letter-reason';
import { decodeMessage, type LogClaim, type MessageParser } from './decode-message';
import { backoffMs, isDependencyUnavailable, waitForDependency } from './dependency-errors';
import { kafkaLogCreator } from './kafka-log';
import type { KafkaSecurity } from './kafka-security';
import { KafkaMessageContext, type KafkaMessageInfo } from './message-context';

export interface KafkaTransportOptions {
  readonly brokers: readonly string[];
  /** TLS and SASL of the client (kafkaSecurityFromEnv). */
  readonly security?: KafkaSecurity;
  readonly clientId: string;
  /** For the log lines of the Kafka client. */
  readonly instanceId?: string;
  readonly groupId: string;
  /** Inbox consumer name; defaults to the group id. */
  readonly consumerName?: string;
  /** Topic -> parser of its values. Every subscribed topic needs one. */
  readonly topics: Readonly<Record<string, MessageParser>>;
  readonly pool: Pool;
  readonly dlqTopic: string;
  readonly maxAttempts?: number;
  readonly retryBackoffMs?: number;
  readonly partitionsConsumedConcurrently?: number;
  readonly heartbeatIntervalMs?: number;
  readonly sessionTimeoutMs?: number;
  readonly fromBeginning?: boolean;
  /** Called for every dead letter (a counter, typically). */
  readonly onDeadLetter?: (topic: string, code: DeadLetterCode) => void;
  /** Called for every message the inbox had already seen (a redelivery, a replay): a counter. */
  readonly onDuplicate?: (topic: string) => void;
}

class NotRetryable extends Error {
  constructor(readonly code: DeadLetterCode, message: string) {
    super(message);
  }
}

/** Processing of a message given up without committing it (closing, or partitions lost). */
class Abandoned extends Error {}

/** Heartbeat answers meaning the member must rejoin: its partitions may be someone else's now. */
/** How long a handled message's offset waits to be committed with others (see commitLater). */
const COMMIT_EVERY_MS = 100;
const COMMIT_RETRY_MS = 1_000;
const REJOIN_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'FENCED_INSTANCE_ID']);

/** Events a service may listen to with transport.on(...). */
export type KafkaTransportEvents = {
  joined: () => void;
  crash: (error: unknown) => void;
};

/** The job and correlation id of a message (an event envelope or a command), for its log lines. */
function logFieldsOf(value: unknown): LogFields {
  if (typeof value !== 'object' || value === null) return {};
  const v = value as { jobId?: unknown; correlationId?: unknown; commandId?: unknown };
  const correlationId = typeof v.correlationId === 'string' ? v.correlationId : typeof v.commandId === 'string' ? v.commandId : undefined;
  return { ...(typeof v.jobId === 'string' ? { jobId: v.jobId } : {}), ...(correlationId ? { correlationId } : {}) };
}

export class KafkaTransport extends Server<KafkaTransportEvents> implements CustomTransportStrategy {
  private readonly kafka: Kafka;
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  private joined = false;
  private closing = false;
  private inFlight = 0;
  private readonly uncommitted = new Map<string, { topic: string; partition: number; offset: string }>();
  private commitTimer: NodeJS.Timeout | null = null;
  private restarts = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  /** Wakes the partitions waiting out an outage (close). */
  private readonly outageWaiters = new Set<() => void>();
  private readonly idleWaiters: Array<() => void> = [];
  private readonly joinedWaiters: Array<() => void> = [];
  private readonly listeners: { [K in keyof KafkaTransportEvents]: Array<KafkaTransportEvents[K]> } = { joined: [], crash: [] };

  constructor(private readonly options: KafkaTransportOptions) {
    super();
    const config: KafkaConfig = {
      clientId: options.clientId,
      brokers: [...options.brokers],
      ...options.security,
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator({ service: options.clientId, ...(options.instanceId ? { instance: options.instanceId } : {}), pid: process.pid }),
    };
    this.kafka = new Kafka(config);
  }

  /** True once the consumer has joined its group (readiness). */
  get isReady(): boolean {
    return this.joined;
  }

  waitUntilJoined(): Promise<void> {
    return this.joined ? Promise.resolve() : new Promise((resolve) => this.joinedWaiters.push(resolve));
  }

  async listen(callback: (...optionalParams: unknown[]) => void): Promise<void> {
    try {
      // Kafka down at start: wait for it (bounded back-off, a FJC_DEPENDENCY_WAITING line each time).
      await waitForDependency(
        'kafka',
        async () => {
          try {
            await this.start();
          } catch (err) {
            await this.consumer?.disconnect().catch(() => undefined);
            await this.producer?.disconnect().catch(() => undefined);
            this.consumer = this.producer = null;
            throw err;
          }
        },
        { warn: (entry, msg) => this.logger.warn({ ...entry, msg }) },
      );
      callback();
    } catch (err) {
      callback(err);
    }
  }

  /** Ordered shutdown: stops taking messages, lets the handlers in flight finish and commit
   *  their offsets while the consumer still runs (kafkajs drops commits once it is stopping),
   *  then leaves the group, then closes the producer (dead-lettering needs it until then). */
  async close(): Promise<void> {
    const consumer = this.consumer;
    this.closing = true;
    this.joined = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.outageWaiters.forEach((wake) => wake());
    if (consumer) {
      try {
        consumer.pause(Object.keys(this.options.topics).map((topic) => ({ topic })));
      } catch {
        // not running yet: nothing is in flight
      }
      await this.whenIdle();
      await this.flushCommits();
      // Bounded even while the broker is gone: the group notices a member that left silently.
      await bounded(consumer.disconnect(), 10_000).catch((err: unknown) => this.logger.warn(`consumer disconnect failed: ${errorText(err)}`));
    }
    this.consumer = null;
    if (this.producer) await bounded(this.producer.disconnect(), 10_000).catch((err: unknown) => this.logger.warn(`producer disconnect failed: ${errorText(err)}`));
    this.producer = null;
  }

  /** Marks a message done: its offset is committed with the others of the next COMMIT_EVERY_MS,
   *  one request for every partition, instead of one request per message (an offset commit is a
   *  write to Kafka's offsets topic; per message it cost the broker more CPU than the messages).
   *  A message whose commit is lost (a crash, a rebalance, an outage) is read again and its
   *  inbox row makes that a no-op, as for any message read twice. */
  private commitLater(topic: string, partition: number, offset: string): void {
    this.uncommitted.set(`${topic}\0${partition}`, { topic, partition, offset: (BigInt(offset) + 1n).toString() });
    this.commitTimer ??= setTimeout(() => void this.flushCommits(), COMMIT_EVERY_MS);
  }

  private async flushCommits(): Promise<void> {
    if (this.commitTimer) clearTimeout(this.commitTimer);
    this.commitTimer = null;
    const offsets = [...this.uncommitted.values()];
    this.uncommitted.clear();
    if (offsets.length === 0 || !this.consumer) return;
    try {
      await this.consumer.commitOffsets(offsets);
    } catch (err) {
      // Not ours any more (a rebalance) or Kafka unreachable: the next owner reads from the last
      // committed offset. Offsets of partitions still ours are tried again with the next commit.
      this.logger.warn({ code: 'FJC_DEPENDENCY_UNAVAILABLE', dependency: 'kafka', msg: `offset commit failed, retried with the next one: ${errorText(err)}` });
      if (REJOIN_ERRORS.has((err as { type?: string }).type ?? '') || this.closing) return;
      for (const o of offsets) {
        const key = `${o.topic}\0${o.partition}`;
        if (!this.uncommitted.has(key)) this.uncommitted.set(key, o);
      }
      this.commitTimer ??= setTimeout(() => void this.flushCommits(), COMMIT_RETRY_MS);
    }
  }

  private whenIdle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  on<K extends keyof KafkaTransportEvents>(event: K, callback: KafkaTransportEvents[K]): void {
    (this.listeners[event] as Array<KafkaTransportEvents[K]>).push(callback);
  }

  unwrap<T>(): T {
    return { kafka: this.kafka, consumer: this.consumer, producer: this.producer } as T;
  }

  private async start(): Promise<void> {
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await this.producer.connect();
    await this.startConsumer();
  }

  private async startConsumer(): Promise<void> {
    const o = this.options;
    this.consumer = this.kafka.consumer({
      groupId: o.groupId,
      sessionTimeout: o.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: o.heartbeatIntervalMs ?? 3_000,
      retry: { retries: 10 },
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.joined = true;
      this.joinedWaiters.splice(0).forEach((resolve) => resolve());
      this.emit('joined');
    });
    const consumer = this.consumer;
    consumer.on(consumer.events.CRASH, (e) => {
      this.joined = false;
      this.logger.error(`consumer crashed (${String(e.payload.error)}); restart=${e.payload.restart}`);
      this.emit('crash', e.payload.error);
      // kafkajs restarts the consumer itself unless restart=false: then it is ours to start again.
      if (!e.payload.restart) this.scheduleRestart(consumer);
    });
    consumer.on(consumer.events.GROUP_JOIN, () => (this.restarts = 0));
    await this.consumer.connect();
    for (const topic of Object.keys(o.topics)) {
      await this.consumer.subscribe({ topic, fromBeginning: o.fromBeginning ?? true });
    }
    await this.consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: o.partitionsConsumedConcurrently ?? 4,
      eachMessage: (payload) => this.onMessage(payload),
    });
  }

  /** A consumer kafkajs will not restart (its retries ran out, e.g. the broker was gone): a new
   *  one, after a bounded back-off, for as long as the transport is open. */
  private scheduleRestart(crashed: Consumer): void {
    if (this.closing || this.consumer !== crashed || this.restartTimer) return;
    const delay = backoffMs(this.restarts++, 1_000, 30_000);
    this.logger.warn(
      { code: 'FJC_DEPENDENCY_UNAVAILABLE', dependency: 'kafka', consumer: this.options.groupId, msg: `consumer stopped; starting it again in ${delay} ms` },
    );
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      void (async () => {
        if (this.closing) return;
        await crashed.disconnect().catch(() => undefined);
        try {
          await this.startConsumer();
        } catch (err) {
          this.logger.warn({ code: 'FJC_DEPENDENCY_UNAVAILABLE', dependency: 'kafka', msg: `consumer restart failed: ${errorText(err)}` });
          if (this.consumer) this.scheduleRestart(this.consumer);
        }
      })();
    }, delay);
  }

  /** Waits out an outage before the next try of the same message: bounded back-off with jitter,
   *  a progress line now and then. Throws Abandoned when the transport closes or the consumer
   *  lost its partitions meanwhile (nothing is committed; the message is read again). */
  private async waitOutOutage(where: string, err: unknown, waits: number, state: { lostGeneration: boolean }): Promise<void> {
    if (waits === 0 || waits % 10 === 0) {
      this.logger.warn({ code: 'FJC_DEPENDENCY_UNAVAILABLE', message: where, waits, error: errorText(err), msg: 'a dependency is unavailable; the partition waits and retries (nothing committed)' });
    }
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.outageWaiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, backoffMs(waits, 250, 5_000));
      this.outageWaiters.add(wake);
    });
    if (this.closing) throw new Abandoned('the transport is closing');
    if (state.lostGeneration) throw new Abandoned('the consumer lost its partitions while waiting');
  }

  /** A send to Kafka (a dead letter) retried through a broker outage: never skipped. */
  private async untilSent(where: string, state: { lostGeneration: boolean }, send: () => Promise<void>): Promise<void> {
    for (let waits = 0; ; waits++) {
      try {
        return await send();
      } catch (err) {
        if (!isDependencyUnavailable(err)) throw err;
        await this.waitOutOutage(where, err, waits, state);
      }
    }
  }

  private emit(event: 'joined'): void;
  private emit(event: 'crash', error: unknown): void;
  private emit(event: keyof KafkaTransportEvents, error?: unknown): void {
    if (event === 'joined') this.listeners.joined.forEach((l) => l());
    else this.listeners.crash.forEach((l) => l(error));
  }

  private async onMessage(payload: EachMessagePayload): Promise<void> {
    // Closing: not taken, not committed; the group's next member reads it from the committed offset.
    if (this.closing) return;
    this.inFlight++;
    try {
      await this.handleMessage(payload);
    } finally {
      if (--this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  private async handleMessage(payload: EachMessagePayload): Promise<void> {
    const { topic, partition, message, heartbeat } = payload;
    const o = this.options;
    const maxAttempts = o.maxAttempts ?? 5;
    const raw = message.value === null ? null : message.value.toString('utf8');
    const headers = decodeHeaders(message.headers);
    const base = { topic, partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, headers };

    // Keep the group membership alive however long the handler takes (or an outage lasts).
    const state = { lostGeneration: false };
    const beat = setInterval(
      () =>
        void heartbeat().catch((err: unknown) => {
          if (REJOIN_ERRORS.has((err as { type?: string }).type ?? '')) state.lostGeneration = true;
        }),
      o.heartbeatIntervalMs ?? 3_000,
    );
    const where = `${topic}[${partition}]@${message.offset}`;
    try {
      const parsed = decodeMessage(raw, o.topics[topic]);
      if (!parsed.ok) {
        await this.untilSent(where, state, () => this.deadLetter(base, raw, parsed.code, parsed.error, 0));
      } else {
        let conflicts = 0;
        let outageWaits = 0;
        for (let attempt = 1; ; attempt++) {
          try {
            await this.applyOnce({ ...base, messageId: parsed.id, attempt }, parsed.value, heartbeat, parsed.fromLog);
            break;
          } catch (err) {
            // Lost a race with another transaction on the same rows: not the handler's fault, so
            // retry at once without spending one of its bounded attempts.
            if (isSerializationFailure(err) && conflicts++ < 50) {
              attempt--;
              await sleep(5 + Math.random() * 20);
              continue;
            }
            // An outage is no fault of the message: wait it out, spend no attempt, never dead-letter.
            if (!(err instanceof NotRetryable) && isDependencyUnavailable(err)) {
              attempt--;
              await this.waitOutOutage(where, err, outageWaits++, state);
              continue;
            }
            const code = err instanceof NotRetryable ? err.code : 'FJC_DLQ_HANDLER_FAILED';
            if (err instanceof NotRetryable || attempt >= maxAttempts) {
              await this.untilSent(where, state, () => this.deadLetter(base, raw, code, errorText(err), attempt));
              break;
            }
            this.logger.warn(`handler for ${topic}[${partition}]@${message.offset} failed (attempt ${attempt}/${maxAttempts}): ${errorText(err)}`);
            await sleep((o.retryBackoffMs ?? 200) * 2 ** (attempt - 1));
          }
        }
      }
      this.commitLater(topic, partition, message.offset);
    } catch (err) {
      // Thrown on to kafkajs, which does not move past the message: it is read again from the
      // committed offset (the inbox makes the second application a no-op).
      if (!(err instanceof Abandoned)) throw err;
      this.logger.warn({ code: 'FJC_DEPENDENCY_UNAVAILABLE', message: where, msg: `stopped waiting: ${err.message}; not committed` });
      // Closing: nothing more is committed on this consumer, so returning loses nothing.
      if (!this.closing) throw err;
    } finally {
      clearInterval(beat);
    }
  }

  /** One attempt in a `process <topic>` span (OpenTelemetry messaging conventions), a child of
   *  the context the message's traceparent header carries: what the handler appends continues it. */
  private async applyOnce(info: KafkaMessageInfo, value: unknown, heartbeat: () => Promise<void>, fromLog?: LogClaim): Promise<void> {
    return inSpan(`process ${info.topic}`, {
      parent: info.headers.traceparent ? propagation.extract(ROOT_CONTEXT, info.headers) : ROOT_CONTEXT,
      kind: SpanKind.CONSUMER,
      logFields: logFieldsOf(value),
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': info.topic,
        'messaging.consumer.group.name': this.options.groupId,
        'messaging.destination.partition.id': String(info.partition),
        'messaging.kafka.offset': Number(info.offset),
        'messaging.message.id': info.messageId,
        ...(info.key !== null ? { 'messaging.kafka.message.key': info.key } : {}),
      },
    }, () => this.applyInTransaction(info, value, heartbeat, fromLog));
  }

  /** One attempt: inbox row, handler and effects in one transaction. */
  private async applyInTransaction(info: KafkaMessageInfo, value: unknown, heartbeat: () => Promise<void>, fromLog?: LogClaim): Promise<void> {
    const handler = this.getHandlerByPattern(info.topic);
    if (!handler) throw new NotRetryable('FJC_DLQ_NO_HANDLER', `no @EventPattern handler for topic ${info.topic}`);
    const client: PoolClient = await this.options.pool.connect();
    let broken = false;
    try {
      await client.query('begin');
      const first = await claimInbox(client, this.options.consumerName ?? this.options.groupId, info, fromLog);
      const committed: Array<() => void> = [];
      if (first) {
        const ctx = new KafkaMessageContext([info, client, heartbeat, (fn) => committed.push(fn)]);
        await lastValueFrom(this.transformToObservable(await handler(value, ctx)), { defaultValue: undefined });
      }
      await client.query('commit');
      for (const fn of committed) {
        try {
          fn();
        } catch {
          // A wake-up hint; the worker's own poll covers a failed one.
        }
      }
      if (!first) this.options.onDuplicate?.(info.topic);
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      broken = isDependencyUnavailable(err);
      throw err;
    } finally {
      // A connection the outage broke is not given back to the pool.
      client.release(broken);
    }
  }

  /**
   * Sends the message to the DLQ with its original value, key and headers. The record's reason is
   * a sentence chosen by code (see deadLetterReason); `error` (a driver's text, possibly) goes
   * only to this service's log. Problems found before any attempt come from FJC's own parsers
   * and are kept as detail.
   */
  private async deadLetter(
    base: Omit<KafkaMessageInfo, 'messageId' | 'attempt'>,
    raw: string | null,
    code: DeadLetterCode,
    error: string,
    attempts: number,
  ): Promise<void> {
    const reason = deadLetterReason(code, {
      topic: base.topic,
      attempts,
      ...(attempts === 0 ? { contractError: error } : { errorCode: fjcCodeOf(error) }),
    });
    const record: DeadLetter = {
      code,
      reason,
      sourceTopic: base.topic,
      partition: base.partition,
      offset: base.offset,
      key: base.key,
      value: raw ?? '',
      receivedAt: new Date().toISOString(),
      consumer: this.options.consumerName ?? this.options.groupId,
      attempts,
      ...keptHeaders(base.headers),
    };
    this.logger.error(`dead-lettered ${base.topic}[${base.partition}]@${base.offset} (${code}): ${error}`);
    this.options.onDeadLetter?.(base.topic, code);
    await this.producer?.send({
      topic: this.options.dlqTopic,
      acks: -1,
      messages: [{ key: base.key, value: JSON.stringify(record), headers: { 'event-type': DLQ_EVENT_TYPES.deadLetter, 'dlq-code': code } }],
    });
  }
}

/** Internal topics are no back door: an event is acted on only if the log holds it, with the
 *  same type and payload. Whoever can write to a topic but not to the log gets a dead letter. */
/** The message's inbox row, in the caller's transaction: true the first time this consumer sees
 *  it, false for a message already applied. A message that claims to come from the event log is
 *  acted on only if the log holds that very event (same id, type, job, version and payload); the
 *  check rides in the same statement, one round trip per message. */
async function claimInbox(client: PoolClient, consumer: string, info: KafkaMessageInfo, claim: LogClaim | undefined): Promise<boolean> {
  if (!claim) {
    const inbox = await client.query('insert into inbox (consumer, event_id, topic) values ($1, $2, $3) on conflict do nothing', [consumer, info.messageId, info.topic]);
    return inbox.rowCount === 1;
  }
  const res = await client.query<{ first: boolean; same: boolean | null }>(
    `with claimed as (insert into inbox (consumer, event_id, topic) values ($1, $2, $3) on conflict do nothing returning 1)
     select exists (select 1 from claimed) as first,
            (select type = $4 and job_id = $5 and stream_version = $6 and payload = $7::jsonb from event_log where event_id = $2::uuid) as same`,
    [consumer, info.messageId, info.topic, claim.type, claim.jobId, claim.streamVersion, JSON.stringify(claim.payload ?? null)],
  );
  const { first, same } = res.rows[0];
  if (!first) return false;
  if (same === null) throw new NotRetryable('FJC_DLQ_NOT_IN_LOG', `event ${info.messageId} (${claim.type}) is not in the event log: not acted on`);
  if (!same) throw new NotRetryable('FJC_DLQ_NOT_IN_LOG', `event ${info.messageId} differs from the event the log holds under that id: not acted on`);
  return true;
}

/** A dead letter keeps the message's headers but never a credential (it would be a stored secret);
 *  it names the headers it left out, so a replay knows to add one. */
function keptHeaders(headers: Readonly<Record<string, string>>): Pick<DeadLetter, 'headers' | 'removedHeaders'> {
  const kept: Record<string, string> = {};
  const removed: string[] = [];
  for (const [k, v] of Object.entries(headers)) {
    if (CREDENTIAL_HEADERS.includes(k.toLowerCase())) removed.push(k);
    else kept[k] = v;
  }
  return { headers: kept, ...(removed.length > 0 ? { removedHeaders: removed } : {}) };
}

function decodeHeaders(headers: EachMessagePayload['message']['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map(String).join(',') : v.toString();
  }
  return out;
}

function isSerializationFailure(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? (err as { code: unknown }).code : undefined;
  return code === '40001' || code === '40P01';
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`gave up after ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
