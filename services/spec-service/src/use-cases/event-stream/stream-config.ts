// Settings of the live event stream, read once at bootstrap: how many streams one process
// serves, how often it looks at the log when no notification came, and the heartbeat period.
export interface StreamConfig {
  /** Open streams per process; one more is refused with 503 FJC_STREAM_LIMIT_REACHED. */
  readonly maxClients: number;
  /** The poll fallback: PostgreSQL notifications wake the stream sooner. */
  readonly pollMs: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  readonly heartbeatMs: number;
}

export const STREAM_CONFIG = Symbol('STREAM_CONFIG');

const ENV: Readonly<Record<keyof StreamConfig, string>> = {
  maxClients: 'FJC_STREAM_MAX_CLIENTS',
  pollMs: 'FJC_STREAM_POLL_MS',
  heartbeatMs: 'FJC_STREAM_HEARTBEAT_MS',
};
const DEFAULTS: StreamConfig = { maxClients: 200, pollMs: 1000, heartbeatMs: 15_000 };

export function streamConfigFromEnv(env: Readonly<Record<string, string | undefined>>): StreamConfig {
  const read = (key: keyof StreamConfig): number => {
    const raw = env[ENV[key]];
    if (raw === undefined || raw === '') return DEFAULTS[key];
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`FJC_STREAM_CONFIG: ${ENV[key]} must be a positive integer, got "${raw}"`);
    return value;
  };
  return { maxClients: read('maxClients'), pollMs: read('pollMs'), heartbeatMs: read('heartbeatMs') };
}
