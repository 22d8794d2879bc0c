// The scheduler's settings, read once from the environment at start.
export const SCHEDULER_CONFIG = Symbol('SCHEDULER_CONFIG');

export interface SchedulerConfig {
  /** How often due schedules are looked for (FJC_SCHEDULER_INTERVAL_MS). */
  readonly intervalMs: number;
}

export function schedulerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SchedulerConfig {
  const raw = env.FJC_SCHEDULER_INTERVAL_MS;
  const intervalMs = raw === undefined || raw === '' ? 1000 : Number(raw);
  if (!Number.isInteger(intervalMs) || intervalMs < 10) {
    throw new Error(`FJC_SCHEDULER_INTERVAL_MS must be a whole number of milliseconds >= 10, got "${raw}"`);
  }
  return { intervalMs };
}
