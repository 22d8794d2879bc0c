// The live stream's hub on the real PostgreSQL: a position taken by a transaction that commits
// late is delivered when it commits, in log order, never skipped and never twice; a stream that
// catches up joins the live one without a gap or a repeat; the per-process limit and shutdown.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'nestjs-pino';
import { Pool } from 'pg';
import { Registry } from 'prom-client';
import { appendToStream, inTransaction, type NewEvent } from '@fjc/event-log';
import type { PlatformConfig } from '@fjc/service-runtime';
import { eventually, isolatedWorld, type IsolatedWorld } from '@fjc/testing';
import { EventStreamHub, type StreamSink } from './use-cases/event-stream/event-stream-hub';

let world: IsolatedWorld;
let db: Pool;
let hub: EventStreamHub;

class Collected implements StreamSink {
  readonly ids: string[] = [];
  ended = false;
  heartbeats = 0;
  write(frames: readonly string[]): boolean {
    this.ids.push(...frames);
    return true;
  }
  heartbeat(): void {
    this.heartbeats++;
  }
  end(): void {
    this.ended = true;
  }
}

const quiet = { warn: () => undefined, error: () => undefined, log: () => undefined } as unknown as Logger;
const all = { jobIds: null, types: null, namespaces: null };

function event(jobId: string): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'SpecUpdated',
    schemaVersion: 1,
    jobId,
    payload: {},
    metadata: { producer: 'spec-service', actor: { kind: 'service', id: 'test' }, correlationId: randomUUID(), causationId: null },
    occurredAt: new Date(),
  };
}

/** Appends in its own transaction; the event's position. */
async function append(jobId: string): Promise<string> {
  const result = await inTransaction(db, (tx) => appendToStream(tx, `test-${jobId}`, 'any', [event(jobId)]));
  if (result.status !== 'appended') throw new Error(`append: ${result.status}`);
  return result.positions[0];
}

async function open(from: string | 'head', sink: StreamSink) {
  const opened = await hub.subscribe({ from, fromParam: 'after', filter: all, sink, frame: (e) => e.position });
  if (!opened.ok) throw new Error(opened.refusal.message);
  return opened;
}

beforeAll(async () => {
  world = await isolatedWorld();
  db = new Pool({ connectionString: world.db.url, max: 4 });
  hub = new EventStreamHub(db, { maxClients: 2, pollMs: 100, heartbeatMs: 60_000 }, { appDatabaseUrl: world.db.url } as PlatformConfig, new Registry(), quiet);
  hub.onApplicationBootstrap();
});
afterAll(async () => {
  await hub?.beforeApplicationShutdown();
  await db?.end();
  await world?.close();
});

it('delivers a late commit in log order, and a stream that caught up joins without gap or repeat', async () => {
  const before = await append('warm-up');
  const live = new Collected();
  const stream = await open(before, live);

  // An early transaction takes a position, later ones commit first.
  const early = await db.connect();
  await early.query('begin');
  const earlyResult = await appendToStream(early, 'test-early', 'any', [event('early')]);
  const later = [await append('late-1'), await append('late-2')];
  await new Promise((r) => setTimeout(r, 500)); // several polls while the early transaction is open
  expect(live.ids).toEqual([]);
  await early.query('commit');
  early.release();
  const earlyPosition = earlyResult.status === 'appended' ? earlyResult.positions[0] : '';
  await eventually('the three events', async () => live.ids, (ids) => ids.length >= 3, { timeoutMs: 10_000, intervalMs: 50 });
  expect(live.ids).toEqual([earlyPosition, ...later]);

  // A second stream from the early event on catches up by itself, then gets live events once, like the first.
  const resumed = new Collected();
  const second = await open(earlyPosition, resumed);
  await eventually('caught up', async () => resumed.ids, (ids) => ids.length >= 2, { timeoutMs: 10_000, intervalMs: 50 });
  const next = await append('after-join');
  await eventually('both have the new event', async () => [live.ids.length, resumed.ids.length], ([a, b]) => a >= 4 && b >= 3, { timeoutMs: 10_000, intervalMs: 50 });
  expect(live.ids).toEqual([earlyPosition, ...later, next]);
  expect(resumed.ids).toEqual([...later, next]);

  // The limit: two streams are open, a third is refused with a code.
  const third = await hub.subscribe({ from: 'head', fromParam: 'after', filter: all, sink: new Collected(), frame: (e) => e.position });
  expect(third).toMatchObject({ ok: false, refusal: { status: 503, code: 'FJC_STREAM_LIMIT_REACHED' } });
  const unknown = (stream.close(), await hub.subscribe({ from: '99999999', fromParam: 'Last-Event-ID', filter: all, sink: new Collected(), frame: (e) => e.position }));
  expect(unknown).toMatchObject({ ok: false, refusal: { status: 400, path: 'Last-Event-ID' } });
  expect(live.ended).toBe(true);

  // Shutdown ends every stream and refuses new ones.
  await hub.beforeApplicationShutdown();
  expect(resumed.ended).toBe(true);
  expect(hub.open).toBe(0);
  expect(await hub.subscribe({ from: 'head', fromParam: 'after', filter: all, sink: new Collected(), frame: (e) => e.position })).toMatchObject({ ok: false, refusal: { code: 'FJC_SHUTTING_DOWN' } });
  second.close();
});
