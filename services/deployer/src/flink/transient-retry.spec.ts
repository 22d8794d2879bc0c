import { FlinkProtocolError, FlinkUnavailableError } from '@fjc/flink-client';
import { retryTransient } from './transient-retry';

describe('retryTransient', () => {
  const sleeps: number[] = [];
  const policy = { attempts: 3, delayMs: 100, sleep: async (ms: number) => void sleeps.push(ms) };
  beforeEach(() => (sleeps.length = 0));

  it('retries an unreachable Flink with growing pauses, then gives up', async () => {
    let calls = 0;
    const down = () => {
      calls += 1;
      return Promise.reject(new FlinkUnavailableError('down'));
    };
    await expect(retryTransient(down, policy)).rejects.toBeInstanceOf(FlinkUnavailableError);
    expect(calls).toBe(3);
    expect(sleeps).toEqual([100, 200]);
  });

  it('never retries an answer (a protocol error is one)', async () => {
    let calls = 0;
    const refused = () => {
      calls += 1;
      return Promise.reject(new FlinkProtocolError('HTTP 409'));
    };
    await expect(retryTransient(refused, policy)).rejects.toBeInstanceOf(FlinkProtocolError);
    expect(calls).toBe(1);
  });
});
