// Waiting, as a port: the real one uses timers and stops early when the service shuts down;
// tests pass one that moves a fake clock instead of sleeping.
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const SLEEP = Symbol('SLEEP');

/** Thrown into a wait when the service is stopping: the action is left to the next start. */
export class StoppingError extends Error {
  readonly code = 'FJC_DEPLOYER_STOPPING';
  constructor() {
    super('the deployer is stopping; the action resumes on the next start');
    this.name = 'StoppingError';
  }
}

export const timerSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new StoppingError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new StoppingError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
