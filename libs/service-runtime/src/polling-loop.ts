// The one polling loop every FJC background worker runs on (relay, command-result publisher,
// action executor, observation poller, tick loop, resync). Passes never overlap; a pass that
// left work behind is followed at once; wake() makes the next pass start now (or within a
// given delay); a failing pass is logged with the loop's stable code and followed by a bounded
// exponential back-off with jitter, and the loop carries on: a database or broker outage
// delays a loop, never ends it. stop() waits for the pass in flight, so call it before the
// pool or producer the pass uses is closed (beforeApplicationShutdown; pools close in
// onApplicationShutdown).
import { backoffMs } from '@fjc/messaging';

/** What a pass may report: `more` asks for the next pass at once (a full batch was handled);
 *  `soonMs` asks for the next pass within that many milliseconds (work is known to be coming,
 *  e.g. committed events held back by an older transaction that commits without a notification). */
export type PassResult = { readonly more?: boolean; readonly soonMs?: number } | void;

export interface LoopLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A LoopLogger writing to a Nest logger (nestjs-pino's) under the given context. */
export function loopLoggerOf(logger: { warn(message: object, context: string): void; error(message: object, context: string): void }, context: string): LoopLogger {
  return { warn: (o, msg) => logger.warn({ ...o, msg }, context), error: (o, msg) => logger.error({ ...o, msg }, context) };
}

/** Called after every pass, for metrics and progress. */
export interface PassReport {
  readonly loop: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly more: boolean;
  /** Failures in a row, this one included (0 after a pass that succeeded). */
  readonly failures: number;
}

export interface BackoffOptions {
  /** First pause after a failure; defaults to the interval (at least 100 ms). */
  readonly initialMs?: number;
  /** Longest pause; defaults to 30 s. */
  readonly maxMs?: number;
}

export interface PollingLoopOptions {
  /** Names the loop in logs and reports. */
  readonly name: string;
  /** Pause after a pass with nothing more to do. */
  readonly intervalMs: number;
  /** Pause before the first pass; defaults to 0. */
  readonly initialDelayMs?: number;
  /** One pass. The signal aborts when stop() is called: long passes should end early. */
  readonly pass: (signal: AbortSignal) => Promise<PassResult>;
  /** Stable code logged with every failed pass (FJC_...). */
  readonly errorCode: string;
  readonly logger: LoopLogger;
  readonly backoff?: BackoffOptions;
  readonly onPass?: (report: PassReport) => void;
  /** For tests: a source of jitter in [0, 1). */
  readonly random?: () => number;
}

export class PollingLoop {
  private started = false;
  private stopping = false;
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  private failures = 0;
  /** The time the current (or next) sleep ends; wake() moves it earlier. */
  private deadline = 0;
  private timer: NodeJS.Timeout | null = null;
  private endSleep: (() => void) | null = null;
  /** The earliest wake-up asked for while a pass was running, if any. */
  private pendingWake: number | null = null;

  constructor(private readonly options: PollingLoopOptions) {}

  get isRunning(): boolean {
    return this.started && !this.stopping;
  }

  /** Aborted once stop() is called. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.running = this.run();
  }

  /** Makes the next pass start within delayMs (now by default). A pass in flight finishes first. */
  wake(delayMs = 0): void {
    if (!this.started || this.stopping) return;
    const at = Date.now() + delayMs;
    if (this.endSleep === null) {
      this.pendingWake = Math.min(this.pendingWake ?? at, at);
      return;
    }
    if (at < this.deadline) this.sleepUntil(at);
  }

  /** Ends the loop: no new pass starts; resolves once the pass in flight has finished. */
  async stop(): Promise<void> {
    if (this.stopping) return this.running ?? undefined;
    this.stopping = true;
    this.abort.abort();
    this.endSleep?.();
    await this.running;
  }

  private async run(): Promise<void> {
    await this.sleep(this.options.initialDelayMs ?? 0);
    while (!this.stopping) {
      const delay = await this.passOnce();
      if (this.stopping) break;
      const wakeAt = this.pendingWake;
      this.pendingWake = null;
      await this.sleep(wakeAt === null ? delay : Math.min(delay, Math.max(0, wakeAt - Date.now())));
    }
  }

  /** Runs one pass; returns the pause before the next. */
  private async passOnce(): Promise<number> {
    const o = this.options;
    const startedAt = Date.now();
    try {
      const result = await o.pass(this.abort.signal);
      const more = result?.more === true;
      this.failures = 0;
      o.onPass?.({ loop: o.name, ok: true, durationMs: Date.now() - startedAt, more, failures: 0 });
      const soon = result?.soonMs;
      return more ? 0 : soon !== undefined && soon >= 0 ? Math.min(soon, o.intervalMs) : o.intervalMs;
    } catch (err) {
      this.failures++;
      const initial = o.backoff?.initialMs ?? Math.max(100, o.intervalMs);
      // Exponential, capped, half fixed and half random, so instances that failed together do not retry together.
      const retryInMs = backoffMs(this.failures - 1, initial, Math.max(initial, o.backoff?.maxMs ?? 30_000), o.random ?? Math.random);
      const entry = { event: 'loop.pass_failed', loop: o.name, code: o.errorCode, failures: this.failures, retryInMs, err: err instanceof Error ? err.message : String(err) };
      // The first failure is worth a warning; a run of them (an outage) an error each time it doubles.
      if (this.failures === 1) o.logger.warn(entry, `${o.name}: pass failed; retrying in ${retryInMs} ms`);
      else o.logger.error(entry, `${o.name}: ${this.failures} passes failed in a row; retrying in ${retryInMs} ms`);
      o.onPass?.({ loop: o.name, ok: false, durationMs: Date.now() - startedAt, more: false, failures: this.failures });
      return retryInMs;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      this.endSleep = () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        this.endSleep = null;
        resolve();
      };
      this.sleepUntil(Date.now() + ms);
    });
  }

  private sleepUntil(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.deadline = at;
    const end = this.endSleep;
    this.timer = setTimeout(() => end?.(), Math.max(0, at - Date.now()));
  }
}
