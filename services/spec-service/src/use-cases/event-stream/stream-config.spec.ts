import { streamConfigFromEnv } from './stream-config';

describe('streamConfigFromEnv', () => {
  it('has defaults and takes positive integers', () => {
    expect(streamConfigFromEnv({})).toEqual({ maxClients: 200, pollMs: 1000, heartbeatMs: 15_000 });
    expect(streamConfigFromEnv({ FJC_STREAM_MAX_CLIENTS: '3', FJC_STREAM_POLL_MS: '250', FJC_STREAM_HEARTBEAT_MS: '500' })).toEqual({ maxClients: 3, pollMs: 250, heartbeatMs: 500 });
  });

  it.each(['0', '-1', '1.5', 'many'])('refuses FJC_STREAM_MAX_CLIENTS=%s, naming it', (raw) => {
    expect(() => streamConfigFromEnv({ FJC_STREAM_MAX_CLIENTS: raw })).toThrow(`FJC_STREAM_CONFIG: FJC_STREAM_MAX_CLIENTS must be a positive integer, got "${raw}"`);
  });
});
