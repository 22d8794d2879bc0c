import { PollingLoop, type PassReport, type PassResult } from './polling-loop';

function recordingLogger() {
  const lines: Array<{ level: 'warn' | 'error'; obj: Record<string, unknown> }> = [];
  return {
    lines,
    warn: (obj: object) => void lines.push({ level: 'warn', obj: obj as Record<string, unknown> }),
    error: (obj: object) => void lines.push({ level: 'error', obj: obj as Record<string, unknown> }),
  };
}

/** A pass whose calls are counted and whose outcome the test decides. */
function scriptedPass(outcomes: Array<PassResult | Error> = []) {
  const calls: number[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const pass = async (): Promise<PassResult> => {
    calls.push(Date.now());
    concurrent++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    try {
      await Promise.resolve();
      const next = outcomes.shift();
      if (next instanceof Error) throw next;
      return next;
    } finally {
      concurrent--;
    }
  };
  return { pass, calls, maxConcurrent: () => maxConcurrent };
}

describe('PollingLoop', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('runs a pass at once, then one per interval', async () => {
    const p = scriptedPass();
    const loop = new PollingLoop({ name: 't', intervalMs: 1000, pass: p.pass, errorCode: 'FJC_TEST', logger: recordingLogger() });
    loop.start();
    await jest.advanceTimersByTimeAsync(2500);
    expect(p.calls).toEqual([0, 1000, 2000]);
    await loop.stop();
  });

  it('honours the initial delay', async () => {
    const p = scriptedPass();
    const loop = new PollingLoop({ name: 't', intervalMs: 1000, initialDelayMs: 700, pass: p.pass, errorCode: 'FJC_TEST', logger: recordingLogger() });
    loop.start();
    await jest.advanceTimersByTimeAsync(1800);
    expect(p.calls).toEqual([700, 1700]);
    await loop.stop();
  });

  it('runs the next pass at once when a pass reports more work', async () => {
    const p = scriptedPass([{ more: true }, { more: true }, { more: false }]);
    const loop = new PollingLoop({ name: 't', intervalMs: 1000, pass: p.pass, errorCode: 'FJC_TEST', logger: recordingLogger() });
    loop.start();
    await jest.advanceTimersByTimeAsync(999);
    // "At once" is the next turn of the event loop (a timer of 0, which Node makes 1 ms).
    expect(p.calls).toEqual([0, 1, 2]);
    await loop.stop();
  });

  it('runs the next pass within soonMs when a pass asks for it, never later than the interval', async () => {
    const p = scriptedPass([{ soonMs: 20 }, { soonMs: 5000 }, { more: false }]);
    const loop = new PollingLoop({ name: 't', intervalMs: 1000, pass: p.pass, errorCode: 'FJC_TEST', logger: recordingLogger() });
    loop.start();
    await jest.advanceTimersByTimeAsync(2500);
    expect(p.calls).toEqual([0, 20, 1020, 2020]);
    await loop.stop();
  });

  it('wake() starts the next pass now, or within the delay asked for', async () => {
    const p = scriptedPass();
    const loop = new PollingLoop({ name: 't', intervalMs: 10_000, pass: p.pass, errorCode: 'FJC_TEST', logger: recordingLogger() });
    loop.start();
    await jest.advanceTimersByTimeAsync(100);
    loop.wake();
    await jest.advanceTimersByTimeAsync(100);
    loop.wake(50);
    loop.wake(5000); // a later wake never postpones an earlier one
    await jest.advanceTimersByTimeAsync(100);
    expect(p.calls).toEqual([0, 100, 250]);
    await loop.stop();
  });

  it('a wake during a pass is kept: the next pass follows that one', async () => {
    let release: () => void = () => undefined;
    const calls: number[] = [];
    const pass = async (): Promise<PassResult> => {
      calls.push(Date.now());
      if (calls.length === 1) await new Promise<void>((r) => (release = r));
    };
    const loop = new PollingLoop({ name: 't', intervalMs: 10_000, pass, errorCode: 'FJC_TEST', logger: recordingLogger() });
    loop.start();
    await jest.advanceTimersByTimeAsync(10);
    loop.wake();
    await jest.advanceTimersByTimeAsync(90);
    expect(calls).toEqual([0]);
    release();
    await jest.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([0, 100]);
    await loop.stop();
  });

  it('never runs two passes at once, however often it is woken', async () => {
    const p = scriptedPass(Array.from({ length: 50 }, () => ({ more: true })));
    const loop = new PollingLoop({ name: 't', intervalMs: 100, pass: p.pass, errorCode: 'FJC_TEST', logger: recordingLogger() });
    loop.start();
    for (let i = 0; i < 20; i++) {
      loop.wake();
      await jest.advanceTimersByTimeAsync(7);
    }
    expect(p.maxConcurrent()).toBe(1);
    expect(p.calls.length).toBeGreaterThan(20);
    await loop.stop();
  });

  it('logs a failed pass with its code, backs off exponentially, and carries on', async () => {
    const logger = recordingLogger();
    const reports: PassReport[] = [];
    const p = scriptedPass([new Error('connection refused'), new Error('connection refused'), new Error('connection refused'), undefined]);
    const loop = new PollingLoop({
      name: 'relay',
      intervalMs: 1000,
      pass: p.pass,
      errorCode: 'FJC_RELAY_RETRY',
      logger,
      backoff: { initialMs: 1000, maxMs: 3000 },
      random: () => 1,
      onPass: (r) => reports.push(r),
    });
    loop.start();
    await jest.advanceTimersByTimeAsync(20_000);
    // failures at 0, 1000 (+1000), 3000 (+2000); then success at 6000 (+3000, capped); then every second.
    expect(p.calls.slice(0, 5)).toEqual([0, 1000, 3000, 6000, 7000]);
    expect(logger.lines.map((l) => [l.level, l.obj.code, l.obj.failures, l.obj.retryInMs, l.obj.err])).toEqual([
      ['warn', 'FJC_RELAY_RETRY', 1, 1000, 'connection refused'],
      ['error', 'FJC_RELAY_RETRY', 2, 2000, 'connection refused'],
      ['error', 'FJC_RELAY_RETRY', 3, 3000, 'connection refused'],
    ]);
    expect(reports.slice(0, 4).map((r) => [r.ok, r.failures])).toEqual([
      [false, 1],
      [false, 2],
      [false, 3],
      [true, 0],
    ]);
    expect(loop.isRunning).toBe(true);
    await loop.stop();
  });

  it('stop() waits for the pass in flight and starts no other', async () => {
    let release: () => void = () => undefined;
    let finished = false;
    let seenAbort = false;
    const calls: number[] = [];
    const pass = async (signal: AbortSignal): Promise<PassResult> => {
      calls.push(Date.now());
      await new Promise<void>((r) => (release = r));
      seenAbort = signal.aborted;
      finished = true;
      return { more: true };
    };
    const loop = new PollingLoop({ name: 't', intervalMs: 100, pass, errorCode: 'FJC_TEST', logger: recordingLogger() });
    loop.start();
    await jest.advanceTimersByTimeAsync(1);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(1000);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(true);
    expect(seenAbort).toBe(true);
    await jest.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual([0]);
    loop.wake();
    await jest.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual([0]);
  });

  it('stop() ends a sleep at once and leaves no timer behind', async () => {
    const p = scriptedPass();
    const loop = new PollingLoop({ name: 't', intervalMs: 60_000, pass: p.pass, errorCode: 'FJC_TEST', logger: recordingLogger() });
    loop.start();
    await jest.advanceTimersByTimeAsync(10);
    await loop.stop();
    expect(jest.getTimerCount()).toBe(0);
    expect(loop.isRunning).toBe(false);
  });
});
