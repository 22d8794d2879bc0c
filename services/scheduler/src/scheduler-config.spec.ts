// The scheduler's settings from the environment.
import { schedulerConfigFromEnv } from './scheduler-config';

describe('schedulerConfigFromEnv', () => {
  it.each([
    [{}, 1000],
    [{ FJC_SCHEDULER_INTERVAL_MS: '' }, 1000],
    [{ FJC_SCHEDULER_INTERVAL_MS: '250' }, 250],
  ])('reads the tick interval from %j', (env, intervalMs) => {
    expect(schedulerConfigFromEnv(env)).toEqual({ intervalMs });
  });

  it.each(['0', '-5', '1.5', 'soon'])('refuses FJC_SCHEDULER_INTERVAL_MS=%s, naming the variable', (raw) => {
    expect(() => schedulerConfigFromEnv({ FJC_SCHEDULER_INTERVAL_MS: raw })).toThrow(/FJC_SCHEDULER_INTERVAL_MS/);
  });
});
