// Replay and republish: the recovery tools. Replay feeds the log, in log order, to a
// projection's handler (from the start or a checkpoint); republish sends a position range of
// the log to Kafka again. Both report progress as they go.
import type { Producer } from 'kafkajs';
import type { Queryable } from './sql';
import { compareCheckpoints, readLogAfter, readPositions } from './read';
import { toWireMessage } from './envelope';
import { LOG_START, type LogCheckpoint, type StoredEvent } from './types';

export interface ProgressReport {
  readonly done: number;
  readonly at: string;
}

/**
 * `archived`: events the operator archived out of the live log (loadArchivedEvents), in replay
 * order; each is handed over in its place among the live ones, so a rebuild sees the whole log.
 */
export async function replayLog(
  q: Queryable,
  handle: (event: StoredEvent) => Promise<void> | void,
  options: { from?: LogCheckpoint; batchSize?: number; onProgress?: (p: ProgressReport) => void; archived?: readonly StoredEvent[] } = {},
): Promise<{ replayed: number; next: LogCheckpoint }> {
  let at = options.from ?? LOG_START;
  const archived = (options.archived ?? []).filter((e) => compareCheckpoints(e, at) > 0);
  let nextArchived = 0;
  let replayed = 0;
  for (;;) {
    const page = await readLogAfter(q, at, options.batchSize ?? 1000);
    for (const event of page.events) {
      while (nextArchived < archived.length && compareCheckpoints(archived[nextArchived], event) < 0) {
        await handle(archived[nextArchived++]);
        replayed++;
      }
      await handle(event);
    }
    replayed += page.events.length;
    at = page.next;
    if (page.events.length === 0) break;
    options.onProgress?.({ done: replayed, at: at.position });
  }
  while (nextArchived < archived.length) {
    await handle(archived[nextArchived++]);
    replayed++;
  }
  return { replayed, next: at };
}

export async function republishLog(
  q: Queryable,
  producer: Producer,
  topicFor: (event: StoredEvent) => string | null,
  options: { fromPosition?: string; toPosition?: string; batchSize?: number; onProgress?: (p: ProgressReport) => void } = {},
): Promise<{ republished: number }> {
  let from = options.fromPosition ?? '1';
  let republished = 0;
  for (;;) {
    const events = await readPositions(q, from, options.toPosition ?? null, options.batchSize ?? 1000);
    if (events.length === 0) break;
    const messages = events.flatMap((e) => {
      const topic = topicFor(e);
      return topic ? [{ topic, message: toWireMessage(e) }] : [];
    });
    const byTopic = new Map<string, Array<ReturnType<typeof toWireMessage>>>();
    for (const { topic, message } of messages) byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
    if (byTopic.size > 0) {
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })) });
    }
    republished += messages.length;
    from = (BigInt(events[events.length - 1].position) + 1n).toString();
    options.onProgress?.({ done: republished, at: events[events.length - 1].position });
  }
  return { republished };
}
