// Server-sent events on an Express response: the frames (id, event, data; comments for
// heartbeats; the retry hint), written only once the stream was accepted. A client that does
// not read (its socket buffer past a bound) is reported so the stream can drop it: it resumes
// later from its Last-Event-ID instead of growing this process's memory.
import type { Response } from 'express';

/** Milliseconds a client should wait before reconnecting (the `retry:` field). */
export const SSE_RETRY_MS = 3000;
const MAX_BUFFERED_BYTES = 1 << 20;

/** One event: `id` (the log position), `event` (its type), `data` (JSON on one line). */
export function sseFrame(id: string, event: string, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class SseResponse {
  private begun = false;
  private ended = false;

  constructor(private readonly res: Response) {}

  /** Headers and the retry hint; the first write does this itself. */
  begin(): void {
    if (this.begun) return;
    this.begun = true;
    this.res.status(200);
    this.res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    this.res.setHeader('Cache-Control', 'no-cache, no-transform');
    // Reverse proxies (nginx) would otherwise buffer the stream.
    this.res.setHeader('X-Accel-Buffering', 'no');
    this.res.flushHeaders();
    this.res.write(`retry: ${SSE_RETRY_MS}\n: stream open\n\n`);
  }

  /** False when the client is not keeping up (or gone): drop it. */
  write(frames: readonly string[]): boolean {
    if (this.ended) return false;
    this.begin();
    this.res.write(frames.join(''));
    return this.res.writableLength <= MAX_BUFFERED_BYTES;
  }

  heartbeat(): void {
    if (this.ended) return;
    this.begin();
    this.res.write(': heartbeat\n\n');
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.begin();
    this.res.end();
  }
}
